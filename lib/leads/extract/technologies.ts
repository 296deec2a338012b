import { TECHNOLOGIES, type TechnologyRule } from './technologies.data';

export interface Technology {
  name: string;
  category: TechnologyRule['category'];
}

/** The technologies a page shows, in the data table's order. */
export function detectTechnologies(
  generator: string | null,
  resources: readonly string[],
  inlineScripts: string,
): Technology[] {
  const haystack = [...resources, inlineScripts].join('\n').toLowerCase();
  return TECHNOLOGIES.filter(
    (rule) =>
      (generator && rule.generator?.test(generator.trim())) ||
      rule.markers?.some((marker) => haystack.includes(marker)),
  ).map(({ name, category }) => ({ name, category }));
}
