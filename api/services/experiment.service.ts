/**
 * A/B experiments through the API: create and read them, hand out sticky assignments, and take exposure and
 * conversion events. The assignment and event paths never call Temporal: a unit's variant is a hash (lib/abtest),
 * and the experiment is read from a short-lived cache, so another site can ask on every page view.
 */
import { z } from 'zod';
import type { ExperimentEvaluationRepository } from '../../db/repositories/experiment-evaluation.repository';
import type { ExperimentRecord, ExperimentRepository } from '../../db/repositories/experiment.repository';
import { assignVariant } from '../../lib/abtest/assignment';
import type { ExperimentEvent, ExperimentInput } from '../../lib/abtest/experiment';
import { cursorBigint, cursorInstant, decodeCursor, encodeCursor } from '../../lib/cursor';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../lib/errors';
import type { ControlRequest } from '../../workflows/ab-test-control';
import type { Principal } from './account.service';
import { createShortCache } from './run-watch';

/** How long an experiment is served from memory on the assignment and event paths. */
const CACHE_MS = 2_000;
const CACHE_MAX = 1_000;

const position = z.object({ at: cursorInstant, id: z.uuid() }).strict();
const evaluationPosition = z.object({ seq: cursorBigint }).strict();

/** Shares of each variant, in the order shown: exposures, conversions per metric, the primary rate. */
export function variantStats(
  experiment: ExperimentRecord,
  counts: Awaited<ReturnType<ExperimentRepository['counts']>>,
) {
  return experiment.variants.map((v) => {
    const c = counts[v.id] ?? { exposures: 0, conversions: {} };
    const conversions = c.conversions[experiment.metric] ?? 0;
    return {
      key: v.key,
      name: v.name,
      control: v.control,
      exposures: c.exposures,
      conversions,
      rate: c.exposures > 0 ? conversions / c.exposures : null,
      guardrails: Object.fromEntries(experiment.guardrails.map((g) => [g.metric, c.conversions[g.metric] ?? 0])),
    };
  });
}

export function createExperimentService(deps: {
  experiments: ExperimentRepository;
  evaluations: ExperimentEvaluationRepository;
  /** Sends a control request (pause, resume, stop, extend) to the experiment's run. */
  control: (principal: Principal, workflowId: string, request: ControlRequest) => Promise<{ accepted: string }>;
  brandExists: (workspaceId: string, brandId: string) => Promise<boolean>;
}) {
  const { experiments } = deps;
  // Served again for 2 s, one load at a time per key: a status change is seen within that.
  const cache = createShortCache<ExperimentRecord | null>({ ttlMs: CACHE_MS, maxEntries: CACHE_MAX });

  async function load(workspaceId: string, id: string): Promise<ExperimentRecord> {
    const experiment = await cache.get(`${workspaceId}:${id}`, () => experiments.get(workspaceId, id));
    if (!experiment) throw new NotFoundError(`Experiment ${id} not found`);
    return experiment;
  }

  /** The channel reads experiments by id alone: the same short cache, keyed apart from the workspace reads. */
  const loadPublic = (id: string): Promise<ExperimentRecord | null> =>
    cache.get(`public:${id}`, () => experiments.findPublic(id));

  /**
   * The unit's variant. Running: its hashed variant, and (with `count`) its exposure is recorded, once per unit.
   * Paused: the same variant, not counted. A draft serves the control (a site can be wired up before the start); an
   * ended one the promoted variant, else the control.
   */
  async function assignIn(experiment: ExperimentRecord, unit: string, count: boolean) {
    const split = experiment.status === 'running' || experiment.status === 'paused';
    const promoted = experiment.decision?.promoted as string | undefined;
    const control = experiment.variants.find((v) => v.control)!;
    const variant = split
      ? assignVariant(experiment.id, unit, experiment.variants)
      : (experiment.variants.find((v) => v.key === promoted) ?? control);
    let recorded = false;
    if (count && experiment.status === 'running') {
      const outcome = await experiments.recordEvents(experiment.id, [
        { eventId: `exposure:${unit}`, unit, type: 'exposure', metric: experiment.metric, variantId: variant.id },
      ]);
      recorded = outcome.counted > 0;
    }
    return {
      experimentId: experiment.id,
      status: experiment.status,
      variant: { key: variant.key, name: variant.name, content: variant.content },
      recorded,
    };
  }

  return {
    async create(workspaceId: string, input: ExperimentInput) {
      if (!(await deps.brandExists(workspaceId, input.brandId)))
        throw new NotFoundError(`Brand ${input.brandId} not found`, {
          errors: [{ field: 'brandId', message: 'no such brand in this workspace' }],
        });
      return experiments.create(workspaceId, input);
    },

    async list(workspaceId: string, query: { limit: number; brandId?: string; cursor?: string }) {
      const after = query.cursor ? decodeCursor('experiments', position, query.cursor) : undefined;
      const page = await experiments.list(workspaceId, {
        limit: query.limit,
        brandId: query.brandId,
        after: after && { createdAt: after.at, id: after.id },
      });
      return {
        items: page.items,
        nextCursor: page.next ? encodeCursor('experiments', { at: page.next.createdAt, id: page.next.id }) : null,
      };
    },

    async get(workspaceId: string, id: string) {
      const experiment = await experiments.get(workspaceId, id);
      if (!experiment) throw new NotFoundError(`Experiment ${id} not found`);
      return { ...experiment, stats: variantStats(experiment, await experiments.counts(id)) };
    },

    /** Its evaluations, oldest first (the series of the chance-to-be-best chart). */
    async evaluations(workspaceId: string, id: string, query: { limit: number; cursor?: string }) {
      const experiment = await experiments.get(workspaceId, id);
      if (!experiment) throw new NotFoundError(`Experiment ${id} not found`);
      const after = query.cursor ? decodeCursor('experiment-evaluations', evaluationPosition, query.cursor) : undefined;
      const page = await deps.evaluations.list(id, { limit: query.limit, after: after?.seq });
      return {
        items: page.items,
        nextCursor: page.next ? encodeCursor('experiment-evaluations', { seq: page.next }) : null,
      };
    },

    /**
     * The unit's variant. Running: its hashed variant, and its exposure is recorded (once per unit). Paused: the same
     * variant, not counted. A draft serves the control (a site can be wired up before the start); an ended one the
     * promoted variant, else the control.
     */
    async assign(workspaceId: string, id: string, unit: string) {
      return assignIn(await load(workspaceId, id), unit, true);
    },

    /**
     * The brand channel's page of a post experiment: the visitor's variant (counted unless `count` is false: a bot, a
     * prefetch), or null when there is no such experiment of that brand.
     */
    async channelVariant(brandId: string, id: string, unit: string, count: boolean) {
      const experiment = await loadPublic(id);
      if (!experiment || experiment.brandId !== brandId || experiment.kind !== 'post') return null;
      return { experiment, ...(await assignIn(experiment, unit, count)) };
    },

    /** A click on the channel page's call to action: a `click` conversion, when the experiment counts clicks. */
    async channelClick(brandId: string, id: string, unit: string) {
      const experiment = await loadPublic(id);
      if (!experiment || experiment.brandId !== brandId || experiment.kind !== 'post') return null;
      const counts = experiment.metric === 'click' || experiment.guardrails.some((g) => g.metric === 'click');
      if (experiment.status === 'running' && counts)
        await experiments.recordEvents(experiment.id, [
          {
            eventId: `click:${unit}`,
            unit,
            type: 'conversion',
            metric: 'click',
            variantId: assignVariant(experiment.id, unit, experiment.variants).id,
          },
        ]);
      return experiment;
    },

    /** Pause, resume, stop or extend a started experiment; its run checks the request (a 4xx when it cannot apply). */
    async control(principal: Principal, id: string, request: ControlRequest) {
      const experiment = await experiments.get(principal.workspaceId, id);
      if (!experiment) throw new NotFoundError(`Experiment ${id} not found`);
      if (!experiment.workflowId) throw new ConflictError('The experiment has not started: start it as an ab-test run');
      return deps.control(principal, experiment.workflowId, { ...request, by: principal.name });
    },

    /** Events of a running experiment; idempotent by event id. A conversion's metric must be one the experiment counts. */
    async recordEvents(workspaceId: string, id: string, events: ExperimentEvent[], bulk: boolean) {
      const experiment = await load(workspaceId, id);
      if (experiment.status !== 'running')
        throw new ConflictError(`The experiment is ${experiment.status}: events are counted only while it runs`);
      const metrics = new Set([experiment.metric, ...experiment.guardrails.map((g) => g.metric)]);
      const errors: FieldError[] = [];
      events.forEach((e, i) => {
        if (e.type === 'conversion' && e.metric && !metrics.has(e.metric))
          errors.push({
            field: `${bulk ? `${i}.` : ''}metric`,
            message: `not one of this experiment's metrics (${[...metrics].join(', ')})`,
          });
      });
      if (errors.length)
        throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
      return experiments.recordEvents(
        experiment.id,
        events.map((e) => ({
          eventId: e.eventId,
          unit: e.unit,
          type: e.type,
          metric: e.metric ?? experiment.metric,
          variantId: assignVariant(experiment.id, e.unit, experiment.variants).id,
        })),
      );
    },
  };
}

export type ExperimentService = ReturnType<typeof createExperimentService>;
