import { EN } from './en.data';
import { IT } from './it.data';
import { type Lang, type Phrasebook } from './phrasebook';

export { type Draft, type Facts, type Lang, type Phrasebook } from './phrasebook';

export const PHRASEBOOKS: Record<Lang, Phrasebook> = { en: EN, it: IT };
