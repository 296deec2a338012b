/**
 * The calendar's activities (issue 12). The entry row is the source of truth; the workflow holds refs (id, version,
 * due instant) and asks here: which entries are scheduled, is this version still the one to run (the claim, a
 * compare-and-set in PostgreSQL), how did it end. The daily generation drafts entries through the text writer.
 */
import { log } from '@temporalio/activity';
import type { CalendarRepository } from '../../db/repositories/calendar.repository';
import type { CalendarEntry, EntryValidation, ScheduledRef } from '../../lib/calendar/entry';
import { addLocalDays, localToInstant, toLocal, formatLocal } from '../../lib/calendar/wall-clock';
import { POST_TYPE_NAMES } from '../../lib/social';
import { withHeartbeat } from '../shared/heartbeat';
import type { TextWriter } from '../text/text-writer.port';
import type { EntryValidator } from '../../lib/calendar/entry-validator';

/** What a run needs of a claimed entry: small, it goes into history. */
export interface ClaimedEntry {
  workspaceId: string;
  brandId: string;
  kind: CalendarEntry['kind'];
  platforms: CalendarEntry['platforms'];
  postType: CalendarEntry['postType'];
  topic: string;
  /** The entry's ready copy, published as written on every target; null: written from the topic. */
  copy: CalendarEntry['copy'];
  video: CalendarEntry['video'];
}

export type ClaimOutcome = { claimed: true; entry: ClaimedEntry } | { claimed: false; reason: string };

const summary = (v: EntryValidation) =>
  v.problems.map((p) => (p.platform ? `${p.platform}: ` : '') + p.message).join('; ');

/** The topic a run writes about: the entry's, else its ready copy's first line. */
const topicOf = (e: CalendarEntry) => e.topic?.trim() || e.copy?.caption.split('\n')[0].slice(0, 300) || '';

export function createCalendarActivities(deps: {
  calendar: CalendarRepository;
  validate: EntryValidator;
  writer: TextWriter;
}) {
  const { calendar } = deps;
  return {
    async loadScheduledEntries(input: { brandId: string }): Promise<ScheduledRef[]> {
      return calendar.scheduledOf(input.brandId);
    },

    /** Validates `version` ahead of its time and flags the entry with the result (an earlier flag is replaced). */
    async checkCalendarEntry(input: { entryId: string; version: number }): Promise<{ ok: boolean; current: boolean }> {
      const entry = await calendar.byId(input.entryId);
      if (!entry || entry.version !== input.version || entry.status !== 'scheduled')
        return { ok: false, current: false };
      const validation = await deps.validate(entry, 'precheck');
      const current = await calendar.setValidation(entry.id, input.version, validation);
      if (!validation.ok) log.warn('Calendar entry fails validation ahead of its time', { entryId: entry.id });
      return { ok: validation.ok, current };
    },

    /**
     * Takes `version` of the entry for its run, validated once more just before. Not claimed when the entry moved,
     * was cancelled or already ran (a stale timer), or when it fails validation (then it is marked failed, with why).
     */
    async claimCalendarEntry(input: { entryId: string; version: number }): Promise<ClaimOutcome> {
      const entry = await calendar.byId(input.entryId);
      if (!entry) return { claimed: false, reason: 'The entry no longer exists' };
      if (entry.version !== input.version)
        return { claimed: false, reason: `Moved or edited (now version ${entry.version})` };
      if (entry.status !== 'scheduled' && entry.status !== 'publishing')
        return { claimed: false, reason: `The entry is ${entry.status}` };
      if (entry.status === 'scheduled') {
        const validation = await deps.validate(entry, 'run');
        if (!validation.ok) {
          await calendar.finish(
            entry.id,
            input.version,
            { status: 'failed', results: [], failure: summary(validation) },
            validation,
          );
          return { claimed: false, reason: `Failed validation: ${summary(validation)}` };
        }
        await calendar.setValidation(entry.id, input.version, validation);
      }
      const claimed = await calendar.claim(entry.id, input.version, []);
      if (!claimed) return { claimed: false, reason: 'Changed while it was being claimed' };
      return {
        claimed: true,
        entry: {
          workspaceId: claimed.workspaceId,
          brandId: claimed.brandId,
          kind: claimed.kind,
          platforms: claimed.platforms,
          postType: claimed.postType,
          topic: topicOf(claimed),
          copy: claimed.copy,
          video: claimed.video,
        },
      };
    },

    /** The run's outcome: published when every target was, failed otherwise (with each target's error). */
    async finishCalendarEntry(input: {
      entryId: string;
      version: number;
      runs: string[];
      results: CalendarEntry['results'];
    }): Promise<{ status: 'published' | 'failed' }> {
      const failed = input.results.filter((r) => r.error);
      const status = failed.length === 0 ? 'published' : 'failed';
      const entry = await calendar.claim(input.entryId, input.version, input.runs);
      if (!entry) return { status };
      await calendar.finish(input.entryId, input.version, {
        status,
        results: input.results,
        failure: failed.length ? failed.map((r) => `${r.platform}: ${r.error}`).join('; ') : null,
      });
      return { status };
    },

    /**
     * The daily generation: for each of the workspace's brands, a draft on each of the next `generationDays` local
     * days that has no entry yet, at the workspace's post time, its topic taken in turn from the brand's content pillars
     * (its keywords when it has none) and its copy written by the text writer. Drafts wait for approval; a day drafted once is never
     * drafted again (unique per brand and day).
     */
    async draftCalendarEntries(input: { workspaceId: string }): Promise<{ drafted: number; brands: number }> {
      const settings = await calendar.settings(input.workspaceId);
      const brands = await calendar.brandsOf(input.workspaceId);
      const today = formatLocal(toLocal(Date.now(), settings.timeZone)).slice(0, 10);
      const days = Array.from({ length: settings.generationDays }, (_, i) =>
        addLocalDays(`${today}T${settings.postTime}`, i + 1),
      );
      let drafted = 0;
      await withHeartbeat({ stage: 'drafting' }, async ({ signal }) => {
        for (const brand of brands) {
          const taken = await calendar.daysTaken(
            brand.id,
            days.map((d) => d.slice(0, 10)),
          );
          const pillars = [brand.contentPillars, brand.keywords, [brand.category ?? brand.name]].find(
            (p) => p.length > 0,
          )!;
          for (const localAt of days) {
            const day = localAt.slice(0, 10);
            if (taken.has(day)) continue;
            const n = Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
            const topic = pillars[n % pillars.length];
            const postType = POST_TYPE_NAMES[n % POST_TYPE_NAMES.length];
            const written = await deps.writer.writePostCopy(
              { brand, platform: 'linkedin', postType, topic },
              { signal },
            );
            const created = await calendar.createGenerated(input.workspaceId, day, {
              brandId: brand.id,
              localAt,
              timeZone: settings.timeZone,
              dueAt: new Date(localToInstant(localAt, settings.timeZone)),
              kind: 'post',
              platforms: ['local'],
              postType,
              topic,
              copy: written.value,
              media: null,
              video: null,
              status: 'draft',
              ownerId: null,
              validation: null,
            });
            if (created) drafted += 1;
          }
        }
      });
      log.info('Calendar drafts written', { workspaceId: input.workspaceId, drafted });
      return { drafted, brands: brands.length };
    },

    /** The workspace's brands, for the hourly analytics to collect each one's KPIs. */
    async listCalendarBrands(input: { workspaceId: string }): Promise<string[]> {
      const brands = await calendar.brandsOf(input.workspaceId);
      return brands.map((b) => b.id);
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;
