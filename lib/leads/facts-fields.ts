/**
 * The crawl's facts as lead fields, grouped by the page that stated them, so each field merged into the lead
 * remembers its page (the lead's `fieldSources`). Pure.
 */
import type { LeadFacts } from './extract';
import type { LeadFields } from './lead-fields';

export interface SourcedFields {
  /** The page's URL. */
  source: string;
  fields: Partial<LeadFields>;
}

export function fieldsFromFacts(facts: LeadFacts): SourcedFields[] {
  const byPage = new Map<string, Partial<LeadFields>>();
  const on = (source: string) => {
    let fields = byPage.get(source);
    if (!fields) byPage.set(source, (fields = {}));
    return fields;
  };
  const scalar = (name: 'companyName' | 'description' | 'language' | 'city' | 'country', fact: LeadFacts['name']) => {
    if (fact) on(fact.source)[name] = fact.value;
  };
  scalar('companyName', facts.name);
  scalar('description', facts.description);
  scalar('language', facts.language);
  scalar('city', facts.city);
  scalar('country', facts.country);
  if (facts.address) on(facts.address.source).address = facts.address.value.text;
  for (const { value, source } of facts.emails) (on(source).emails ??= []).push(value);
  for (const { value, source } of facts.phones) (on(source).phones ??= []).push(value);
  for (const { value, source } of facts.technologies) (on(source).technologies ??= []).push(value);
  for (const { value, source, network } of facts.socials) (on(source).socials ??= {})[network] ??= value;
  return [...byPage].map(([source, fields]) => ({ source, fields }));
}
