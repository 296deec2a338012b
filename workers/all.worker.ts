/** Development: one process polls every task queue. */
import { main } from './start';

main(['main', 'media', 'browser']);
