/**
 * The editorial calendar through the API. Every change is written to the entry's row first (a compare-and-set on its
 * version: a stale editor gets 409), then told to the brand's calendar run with an update-with-start
 * (`entryChanged`), which re-arms or drops the entry's timer and starts the run if the brand has none yet. The row is
 * the source of truth: if the API dies between the write and the update, or Temporal is away, the run re-reads its
 * entries every CALENDAR_REFRESH_SECONDS and at every continue-as-new, and the claim at the due minute checks the
 * version, so the timer of an older version never publishes (docs/calendar.md).
 */
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CalendarRepository, CalendarSettings, EntryFields } from '../../db/repositories/calendar.repository';
import type { EntryValidator } from '../../lib/calendar/entry-validator';
import { contentProblems } from '../../lib/calendar/checks';
import { EDITABLE_STATUSES, type CalendarEntry, type EntryStatus } from '../../lib/calendar/entry';
import type { EntryCreate, EntryPatch, ScheduleKind } from '../../lib/calendar/entry-input';
import { localToInstant } from '../../lib/calendar/wall-clock';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../../temporal/search-attributes';
import { calendarWorkflowId, entryChangedUpdate } from '../../workflows/editorial-calendar-messages';
import type { CalendarSchedules } from '../calendar/calendar-schedules';
import type { Principal } from './account.service';

/** How late a scheduled time may be when it is set (clock skew, a slow form): later than this is refused. */
const PAST_TOLERANCE_MS = 60_000;
/** How long the API waits for the calendar run to take an update before answering with the saved row anyway. */
const UPDATE_WAIT_MS = 10_000;

export function createCalendarService(deps: {
  repo: CalendarRepository;
  client: Client;
  taskQueue: string;
  validate: EntryValidator;
  schedules: CalendarSchedules;
  brandExists: (workspaceId: string, brandId: string) => Promise<boolean>;
  run: { checkLeadSeconds: number; refreshSeconds: number; runSize: number };
}) {
  const { repo } = deps;
  const log = logger('calendar');

  const instantOf = (localAt: string, timeZone: string, field = 'localAt') => {
    try {
      return new Date(localToInstant(localAt, timeZone));
    } catch (err) {
      throw new ValidationError((err as Error).message, { errors: [{ field, message: (err as Error).message }] });
    }
  };

  /** A scheduled time must not be in the past (it would publish at once). */
  const requireFuture = (dueAt: Date) => {
    if (dueAt.getTime() < Date.now() - PAST_TOLERANCE_MS)
      throw new ValidationError('The entry’s time has passed', {
        errors: [{ field: 'localAt', message: 'is in the past: choose a later time to schedule it' }],
      });
  };

  /** The content must be publishable before it is scheduled; accounts and credits are flagged, not refused. */
  const requirePublishable = (fields: Pick<CalendarEntry, 'kind' | 'platforms' | 'topic' | 'copy' | 'media'>) => {
    const problems = contentProblems(fields);
    if (problems.length)
      throw new ValidationError(problems.map((p) => p.message).join('; '), {
        errors: problems.map((p) => ({
          field: p.field,
          message: `${p.platform ? `${p.platform}: ` : ''}${p.message}`,
        })),
      });
  };

  /** Tells the brand's calendar run; a failure leaves the row for the run's next re-read. */
  async function tell(entry: CalendarEntry): Promise<boolean> {
    const change = {
      entryId: entry.id,
      version: entry.version,
      status: entry.status,
      dueAtMs: new Date(entry.dueAt).getTime(),
    };
    const start = new WithStartWorkflowOperation('editorialCalendarWorkflow', {
      workflowId: calendarWorkflowId(entry.brandId),
      taskQueue: deps.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ workspaceId: entry.workspaceId, brandId: entry.brandId, ...deps.run }],
      memo: { automation: 'editorial-calendar', startedBy: 'calendar' },
      typedSearchAttributes: [
        { key: WorkspaceIdKey, value: entry.workspaceId },
        { key: AutomationKey, value: 'editorial-calendar' },
        { key: BrandIdKey, value: entry.brandId },
      ],
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.client.workflow.executeUpdateWithStart(entryChangedUpdate, {
          args: [change],
          startWorkflowOperation: start,
        }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('the calendar run did not take the update in time')),
            UPDATE_WAIT_MS,
          );
        }),
      ]);
      return true;
    } catch (err) {
      // A newer change overtook this one: the run has the newer one already.
      if (
        err instanceof WorkflowUpdateFailedError &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === 'StaleEntry'
      )
        return true;
      log.warn('Calendar update not delivered; the run re-reads its entries', {
        entryId: entry.id,
        error: err instanceof Error ? err.message : String(err),
      });
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ready copy without alt text gets its caption's first line (at most 100 characters, Instagram's limit). */
  const withAltText = (copy: CalendarEntry['copy']): CalendarEntry['copy'] =>
    copy && !copy.altText.trim()
      ? { ...copy, altText: [...copy.caption.split('\n')[0]].slice(0, 100).join('').trim() }
      : copy;

  async function load(workspaceId: string, id: string) {
    const entry = await repo.get(workspaceId, id);
    if (!entry) throw new NotFoundError(`Calendar entry ${id} not found`);
    return entry;
  }

  const fieldsOf = (e: CalendarEntry): EntryFields => ({
    brandId: e.brandId,
    localAt: e.localAt,
    timeZone: e.timeZone,
    dueAt: new Date(e.dueAt),
    kind: e.kind,
    platforms: e.platforms,
    postType: e.postType,
    topic: e.topic,
    copy: e.copy,
    media: e.media,
    video: e.video,
    status: e.status,
    ownerId: e.ownerId,
    validation: e.validation,
  });

  /** Writes a change of `entry` at `version`; 409 when it changed meanwhile or is no longer editable. */
  async function write(
    workspaceId: string,
    entry: CalendarEntry,
    version: number,
    fields: EntryFields,
    from: readonly EntryStatus[] = EDITABLE_STATUSES,
  ): Promise<CalendarEntry & { armed?: boolean }> {
    if (fields.status === 'scheduled') {
      requireFuture(fields.dueAt);
      requirePublishable(fields);
      fields.validation = await deps.validate({ ...fields, workspaceId }, 'scheduled');
    } else fields.validation = null;
    const updated = await repo.update(workspaceId, entry.id, version, from, fields);
    if (!updated) {
      const now = await load(workspaceId, entry.id);
      throw new ConflictError(
        now.version !== version
          ? `The entry changed meanwhile (version ${now.version}); reload it`
          : `A ${now.status} entry cannot be changed`,
      );
    }
    // The run knows scheduled entries only: tell it when one becomes, stays or stops being scheduled.
    if (updated.status === 'scheduled' || entry.status === 'scheduled')
      return { ...updated, armed: await tell(updated) };
    return updated;
  }

  return {
    async list(workspaceId: string, query: { from: string; to: string; brandId?: string; status?: EntryStatus }) {
      const items = await repo.list(workspaceId, { ...query, from: new Date(query.from), to: new Date(query.to) });
      return { items };
    },

    get: load,

    async create(principal: Principal, input: EntryCreate) {
      if (!(await deps.brandExists(principal.workspaceId, input.brandId)))
        throw new NotFoundError(`Brand ${input.brandId} not found`, {
          errors: [{ field: 'brandId', message: 'no such brand in this workspace' }],
        });
      const { timeZone } = await repo.settings(principal.workspaceId);
      const fields: EntryFields = {
        brandId: input.brandId,
        localAt: input.localAt,
        timeZone,
        dueAt: instantOf(input.localAt, timeZone),
        kind: input.kind,
        platforms: input.platforms,
        postType: input.postType,
        topic: input.topic ?? null,
        copy: withAltText(input.copy ?? null),
        media: input.media ?? null,
        video: input.kind === 'video' ? (input.video ?? { targetSeconds: 30, format: 'vertical' }) : null,
        status: input.status,
        ownerId: input.ownerId ?? (principal.kind === 'user' ? principal.id : null),
        validation: null,
      };
      if (fields.kind === 'post' && fields.platforms.includes('youtube'))
        throw new ValidationError('YouTube takes videos only', {
          errors: [{ field: 'platforms', message: 'youtube takes videos only: make the entry a video' }],
        });
      if (fields.status === 'scheduled') {
        requireFuture(fields.dueAt);
        requirePublishable(fields);
        fields.validation = await deps.validate({ ...fields, workspaceId: principal.workspaceId }, 'scheduled');
      }
      const created = await repo.create(principal.workspaceId, fields);
      if (created.status === 'scheduled') return { ...created, armed: await tell(created) };
      return created;
    },

    /** An edit or a move (a new `localAt`); a failed entry edited becomes a draft again. */
    async update(principal: Principal, id: string, patch: EntryPatch) {
      const entry = await load(principal.workspaceId, id);
      const { version, ...changes } = patch;
      const fields = { ...fieldsOf(entry), ...changes } as EntryFields;
      if (changes.copy !== undefined) fields.copy = withAltText(changes.copy);
      if (changes.localAt) {
        // A move keeps the entry's zone: the wall-clock time is what the editor chose.
        fields.dueAt = instantOf(changes.localAt, entry.timeZone);
      }
      if (fields.kind === 'video' && !fields.video) fields.video = { targetSeconds: 30, format: 'vertical' };
      if (fields.kind === 'post') fields.video = null;
      if (fields.kind === 'post' && fields.platforms.includes('youtube'))
        throw new ValidationError('YouTube takes videos only', {
          errors: [{ field: 'platforms', message: 'youtube takes videos only: make the entry a video' }],
        });
      if (entry.status === 'failed') fields.status = 'draft';
      return write(principal.workspaceId, entry, version, fields);
    },

    /** idea / draft / failed → scheduled, validated. */
    async approve(principal: Principal, id: string, version: number) {
      const entry = await load(principal.workspaceId, id);
      if (entry.status === 'scheduled') throw new ConflictError('The entry is scheduled already');
      const fields = { ...fieldsOf(entry), status: 'scheduled' as const };
      if (!fields.ownerId && principal.kind === 'user') fields.ownerId = principal.id;
      return write(principal.workspaceId, entry, version, fields, ['idea', 'draft', 'failed']);
    },

    async cancel(principal: Principal, id: string, version: number) {
      const entry = await load(principal.workspaceId, id);
      return write(principal.workspaceId, entry, version, { ...fieldsOf(entry), status: 'cancelled' });
    },

    settings: (workspaceId: string) => repo.settings(workspaceId),

    /** Saves the settings and moves the daily generation to the new time and zone. Entries keep their own zone. */
    async saveSettings(workspaceId: string, settings: CalendarSettings) {
      const saved = await repo.saveSettings(workspaceId, settings);
      await deps.schedules.ensure(workspaceId, saved);
      return saved;
    },

    async schedules(workspaceId: string) {
      return { items: await deps.schedules.list(workspaceId, await repo.settings(workspaceId)) };
    },

    async scheduleAction(principal: Principal, kind: ScheduleKind, action: 'pause' | 'resume' | 'trigger') {
      const settings = await repo.settings(principal.workspaceId);
      await deps.schedules.act(principal.workspaceId, kind, action, principal.name, settings);
      const items = await deps.schedules.list(principal.workspaceId, settings);
      return items.find((s) => s.kind === kind)!;
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
