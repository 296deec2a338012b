/**
 * Validates an entry for publishing (lib/calendar/checks.ts) with today's answers: each target's account through the
 * readiness port, and for a video the credits its estimate would reserve against the workspace's available balance.
 * Used by the API when an entry is scheduled and by the calendar's activities ahead of its time and just before it.
 */
import { entryProblems, type Readiness } from './checks';
import type { CalendarEntry, EntryValidation } from './entry';
import { estimateVideoCredits } from '../credits/pricing';
import type { VideoProviderDefaults } from '../credits/provider-defaults';
import type { AccountReadiness } from './account-readiness.port';

export type EntryValidator = (
  entry: Pick<CalendarEntry, 'workspaceId' | 'brandId' | 'kind' | 'platforms' | 'topic' | 'copy' | 'media' | 'video'>,
  stage: EntryValidation['stage'],
) => Promise<EntryValidation>;

export function createEntryValidator(deps: {
  accounts: AccountReadiness;
  /** The workspace's available credits (balance less open reservations). */
  credits: { balance(workspaceId: string): Promise<{ available: number }> };
  videoDefaults: VideoProviderDefaults;
}): EntryValidator {
  return async (entry, stage) => {
    const readiness: Readiness = {
      accounts: await Promise.all(
        entry.platforms.map(async (platform) => ({
          platform,
          ...(await deps.accounts.accountReady(entry.brandId, platform)),
        })),
      ),
    };
    if (entry.kind === 'video') {
      const needed = estimateVideoCredits({
        seconds: entry.video?.targetSeconds ?? 30,
        voiceProvider: deps.videoDefaults.voiceProvider,
        scriptProvider: deps.videoDefaults.scriptProvider,
        imageProvider: deps.videoDefaults.imageProvider,
        platforms: entry.platforms,
      }).total;
      readiness.credits = { needed, available: (await deps.credits.balance(entry.workspaceId)).available };
    }
    const problems = entryProblems(entry, readiness);
    return { ok: problems.length === 0, checkedAt: new Date().toISOString(), stage, problems };
  };
}
