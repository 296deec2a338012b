import { main } from './start';

main(['media']);
