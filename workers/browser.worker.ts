import { main } from './start';

main(['browser']);
