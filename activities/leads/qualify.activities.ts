/**
 * Step 4 of a lead's enrichment with a model: after the deterministic score (lib/leads/score.ts), the research agent
 * (research-agent.ts) reads what it needs and writes the qualification with its evidence. The rules' result is the
 * offline fallback: without a model provider the activity returns it untouched (`no-model`); when the model fails,
 * overruns its caps or answers something that does not validate, it returns it with the reason (`fallback`) and
 * writes nothing. Only cancellation throws. Must-haves the lead lacks disqualify it whatever the model says.
 */
import { failure } from '../../lib/failures';
import type { LeadFacts } from '../../lib/leads/extract';
import type { LeadProfile } from '../../lib/leads/profile';
import { defaultLeadProfile } from '../../lib/leads/profile';
import { enforceRules, missingMustHaves, readQualification } from '../../lib/leads/qualification';
import { researchPrompt } from '../../lib/leads/research-prompt';
import type { LeadScore, ScoreReason } from '../../lib/leads/score';
import type { LeadRepository } from '../../db/repositories/lead.repository';
import type { LeadProfileRepository } from '../../db/repositories/lead-profile.repository';
import { costUsd } from '../llm/pricing';
import { withHeartbeat } from '../shared/heartbeat';
import { getJson } from '../storage/claim-check';
import type { FileStorage } from '../storage/file-storage.port';
import type { SafeFetcher } from '../web';
import { RESEARCH_DEFAULTS, runResearchAgent, type ResearchLimits, type ResearchModel } from './research-agent';
import { readPageForModel, searchKnowledgeForModel, type RetrievePassages } from './research-tools';

export interface QualifyActivityDeps {
  leads: Pick<LeadRepository, 'get' | 'updateState'>;
  profiles: Pick<LeadProfileRepository, 'get'>;
  storage: FileStorage;
  fetcher: SafeFetcher;
  /** The knowledge activity the brand report uses (`retrievePassages`). */
  retrievePassages: RetrievePassages;
  /** The first model provider of TEXT_PROVIDERS (`researchModelFromConfig`); null when only `offline` is listed. */
  model: ResearchModel | null;
  limits?: Partial<ResearchLimits>;
}

export interface QualifyLeadInput {
  workspaceId: string;
  leadId: string;
  /** The batch's brand: its profile is preferred and its knowledge base searchable. */
  brandId: string | null;
  /** Where `crawlLead` stored the facts; null when the site was not crawled. */
  factsKey: string | null;
  /** The deterministic score (`scoreLead`), kept as the fallback. */
  rules: LeadScore;
}

export interface QualifyLeadResult {
  outcome: 'written' | 'no-model' | 'fallback';
  score: number;
  status: 'qualified' | 'disqualified';
  reasons: ScoreReason[];
  summary?: string;
  /** `rules`, or the provider that wrote the qualification ('openai'). */
  writtenBy: string;
  model?: string;
  tokens?: { input: number; output: number };
  costUsd?: number;
  toolCalls: number;
  fallbackReason?: string;
}

/** The brand's profile, else the workspace's, else the defaults. */
async function profileFor(profiles: QualifyActivityDeps['profiles'], workspaceId: string, brandId: string | null) {
  const own = brandId ? await profiles.get(workspaceId, brandId) : null;
  return (own ?? (await profiles.get(workspaceId, null)))?.profile ?? defaultLeadProfile();
}

/** The facts the crawl stored, or null when there are none (not crawled, or deleted since). */
async function factsFor(storage: FileStorage, key: string | null): Promise<LeadFacts | null> {
  if (!key) return null;
  try {
    return await getJson<LeadFacts>(storage, key, 'Lead facts');
  } catch (err) {
    if ((err as { type?: string }).type === 'NotFound') return null;
    throw err;
  }
}

/** Every page the facts came from: a reason may cite these as well as the pages the agent fetched. */
function factPages(facts: LeadFacts | null): string[] {
  if (!facts) return [];
  const sourced = [facts.name, facts.description, facts.language, facts.address, facts.city, facts.country];
  const lists = [facts.emails, facts.phones, facts.socials, facts.technologies];
  return [...sourced.map((f) => f?.source), ...lists.flat().map((f) => f.source)].filter(
    (s): s is string => typeof s === 'string',
  );
}

export function createQualifyActivities(deps: QualifyActivityDeps) {
  const limits: ResearchLimits = { ...RESEARCH_DEFAULTS, ...deps.limits };

  return {
    async qualifyLeadWithAgent(input: QualifyLeadInput): Promise<QualifyLeadResult> {
      const rules = { score: input.rules.score, status: input.rules.status, reasons: input.rules.reasons };
      const model = deps.model;
      if (!model) return { outcome: 'no-model', ...rules, writtenBy: 'rules', toolCalls: 0 };

      const lead = await deps.leads.get(input.workspaceId, input.leadId);
      if (!lead) throw failure('NotFound', `Lead ${input.leadId} was not found`);
      const profile: LeadProfile = await profileFor(deps.profiles, input.workspaceId, input.brandId);
      const facts = await factsFor(deps.storage, input.factsKey);
      const pagesRead = [...factPages(facts), ...(lead.website ? [lead.website] : [])];
      const { brandId } = input;

      return withHeartbeat({ stage: 'research', toolCalls: 0 }, async (heartbeat) => {
        let calls = 0;
        const progress = () => heartbeat.update({ toolCalls: ++calls });
        const run = await runResearchAgent(
          model,
          {
            fetchPage: async (url, signal) => {
              progress();
              const page = await readPageForModel(deps.fetcher, url, signal);
              if (page.url) pagesRead.push(page.url, url);
              return page.text;
            },
            searchKnowledge: brandId
              ? (query, signal) => {
                  progress();
                  return searchKnowledgeForModel(
                    deps.retrievePassages,
                    { workspaceId: input.workspaceId, brandId },
                    query,
                    signal,
                  );
                }
              : undefined,
          },
          researchPrompt({
            profile,
            lead,
            facts,
            rules: input.rules,
            knowledge: brandId !== null,
            maxToolCalls: limits.maxToolCalls,
          }),
          limits,
          heartbeat.signal,
        );
        heartbeat.throwIfCancelled();

        const spent = {
          model: run.model ?? model.model,
          toolCalls: run.toolCalls,
          ...(run.tokens
            ? {
                tokens: run.tokens,
                costUsd: costUsd({ inputTokens: run.tokens.input, outputTokens: run.tokens.output }, model.pricing),
              }
            : {}),
        };
        const read = run.failure === undefined ? readQualification(run.answer) : null;
        if (!read || 'problems' in read) {
          const why = read ? `the answer did not validate: ${read.problems.slice(0, 3).join('; ')}` : run.failure!;
          return { outcome: 'fallback', ...rules, writtenBy: 'rules', ...spent, fallbackReason: why };
        }

        const answer = enforceRules(read.value, missingMustHaves(profile, lead, input.rules), pagesRead);
        // Writing the same values again is harmless, so a retried attempt may write twice.
        await deps.leads.updateState(input.workspaceId, input.leadId, {
          score: answer.score,
          status: answer.status,
          scoreReasons: answer.reasons,
        });
        return {
          outcome: 'written',
          score: answer.score,
          status: answer.status,
          reasons: answer.reasons,
          summary: answer.summary,
          writtenBy: model.provider,
          ...spent,
        };
      });
    },
  };
}

export type QualifyActivities = ReturnType<typeof createQualifyActivities>;
