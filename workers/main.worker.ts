import { main } from './start';

main(['main']);
