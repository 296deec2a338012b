/** The automations the API can start, by name. */
import type { BrandRepository } from '../../db/repositories/brand.repository';
import type { DiagnosisRepository } from '../../db/repositories/diagnosis.repository';
import { ValidationError } from '../../lib/errors';
import type { RunManifest } from '../../workflows/manifest';
import type { AutomationDefinition } from './automation';
import { cachedBrandLookups } from './brand-ref';
import { brandReportAutomation } from './brand-report.automation';
import { abTestAutomation } from './ab-test.automation';
import { leadEnrichmentAutomation, type SaveArrivingLeads } from './lead-enrichment.automation';
import type { ExperimentRepository } from '../../db/repositories/experiment.repository';
import { socialPostAutomation } from './social-post.automation';
import { videoAutomation } from './video.automation';

export type { AutomationDefinition, PreparedRun } from './automation';

export function createAutomationRegistry(deps: {
  brands: BrandRepository;
  diagnoses: DiagnosisRepository;
  /** Whether Google Places is configured (lead enrichment asks it then). */
  places?: boolean;
  /** Saves leads that arrive with a lead enrichment run (a CRM's webhook). */
  saveLeads: SaveArrivingLeads;
  experiments: ExperimentRepository;
  /** How long a start remembers that a brand exists (0: reads it every time). */
  brandLookupTtlMs?: number;
}) {
  // Starts only check that the brand exists in the workspace: a few seconds' memory of it is enough.
  const brands = cachedBrandLookups(deps.brands, { ttlMs: deps.brandLookupTtlMs ?? 10_000 });
  const all: AutomationDefinition[] = [
    socialPostAutomation(brands) as unknown as AutomationDefinition,
    brandReportAutomation(brands, deps.diagnoses) as unknown as AutomationDefinition,
    videoAutomation(brands) as unknown as AutomationDefinition,
    leadEnrichmentAutomation(brands, {
      places: deps.places ?? false,
      saveLeads: deps.saveLeads,
    }) as unknown as AutomationDefinition,
    abTestAutomation(deps.experiments) as unknown as AutomationDefinition,
  ];
  const byName = new Map(all.map((a) => [a.name, a]));
  const children = new Map(all.flatMap((a) => (a.childManifests ?? []).map((m) => [m.automation, m] as const)));
  return {
    list: () => all,
    names: () => all.map((a) => a.name),
    /** The run-view manifest of an automation, or undefined for a name the API does not start (an older run's). */
    manifest: (name: string | null): RunManifest | undefined =>
      name ? (byName.get(name)?.manifest ?? children.get(name)) : undefined,
    get(name: string): AutomationDefinition {
      const found = byName.get(name);
      if (!found) {
        throw new ValidationError(`Unknown automation "${name}"`, {
          errors: [{ field: 'automation', message: `must be one of: ${[...byName.keys()].join(', ')}` }],
        });
      }
      return found;
    },
  };
}

export type AutomationRegistry = ReturnType<typeof createAutomationRegistry>;
