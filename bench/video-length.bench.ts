/**
 * Phase 9, the length promise (issue 14): the fifty briefs of test/support/length-briefs.ts at 15, 30, 60 and 180 s,
 * written by the offline writer, recorded by the real espeak-ng through the narration activity and corrected as the
 * video workflow corrects them. The baseline is the same run's first recording — the script as sized by the
 * estimate alone — against which the fitted length is compared. Needs espeak-ng and ffprobe, no servers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEspeakVoice, createVoiceActivities } from '../activities/media';
import { createLocalFileStorage } from '../activities/storage';
import { LENGTH_PROMISE, lengthError } from '../lib/video/length-fit';
import { fitBrief, lengthBriefs } from '../test/support/length-briefs';
import { fixed, median, table } from './report';

export const VIDEO_LENGTH_TARGETS = [15, 30, 60, 180];

export interface VideoLengthTargetResult {
  targetSeconds: number;
  briefs: number;
  /** Videos within ±10 % of the target: after the fit, and as the estimate alone sized them (first recording). */
  within: number;
  withinFirst: number;
  /** |length error| in percent of the target. */
  firstErrorPct: { median: number; max: number };
  fittedErrorPct: { median: number; max: number };
  recordings: { mean: number; max: number };
  resizes: number;
  misses: { brief: string; seconds: number }[];
  seconds: number;
}

export interface VideoLengthResult {
  targets: VideoLengthTargetResult[];
  within: number;
  total: number;
}

export async function runVideoLength(log: (line: string) => void, count = 50): Promise<VideoLengthResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-video-length-'));
  try {
    const storage = createLocalFileStorage({ rootDir: path.join(root, 'files'), publicBaseUrl: 'http://files.bench' });
    const voice = createVoiceActivities({ storage, voice: createEspeakVoice(), tmpDir: root });
    const briefs = lengthBriefs(count);
    const targets: VideoLengthTargetResult[] = [];
    for (const targetSeconds of VIDEO_LENGTH_TARGETS) {
      const started = performance.now();
      const queue = briefs.map((brief, i) => ({ brief, i }));
      const rows: {
        brief: string;
        first: number;
        fitted: number;
        seconds: number;
        recordings: number;
        resizes: number;
      }[] = [];
      // Two at a time, as many as a two-core machine runs espeak-ng and ffprobe side by side.
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const run = await fitBrief(next.brief, targetSeconds, voice, `videos/bench/${targetSeconds}/${next.i}`);
          rows.push({
            brief: next.brief.name,
            first: Math.abs(lengthError(run.attempts[0].videoSeconds, targetSeconds)) * 100,
            fitted: Math.abs(lengthError(run.best.videoSeconds, targetSeconds)) * 100,
            seconds: run.best.videoSeconds,
            recordings: run.recordings,
            resizes: run.resizes,
          });
        }
      };
      await Promise.all([worker(), worker()]);
      const limit = LENGTH_PROMISE * 100;
      const result: VideoLengthTargetResult = {
        targetSeconds,
        briefs: rows.length,
        within: rows.filter((r) => r.fitted <= limit).length,
        withinFirst: rows.filter((r) => r.first <= limit).length,
        firstErrorPct: { median: median(rows.map((r) => r.first)), max: Math.max(...rows.map((r) => r.first)) },
        fittedErrorPct: { median: median(rows.map((r) => r.fitted)), max: Math.max(...rows.map((r) => r.fitted)) },
        recordings: {
          mean: rows.reduce((n, r) => n + r.recordings, 0) / rows.length,
          max: Math.max(...rows.map((r) => r.recordings)),
        },
        resizes: rows.reduce((n, r) => n + r.resizes, 0),
        misses: rows.filter((r) => r.fitted > limit).map((r) => ({ brief: r.brief, seconds: r.seconds })),
        seconds: (performance.now() - started) / 1000,
      };
      log(`${targetSeconds} s: ${result.within}/${result.briefs} within ±10 % in ${result.seconds.toFixed(0)} s`);
      targets.push(result);
    }
    return {
      targets,
      within: targets.reduce((n, t) => n + t.within, 0),
      total: targets.reduce((n, t) => n + t.briefs, 0),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function printVideoLength(r: VideoLengthResult): void {
  console.log(
    `\nLength promise — ${r.targets[0]?.briefs ?? 0} briefs per target, espeak-ng, fitted as the workflow fits`,
  );
  const err = (e: { median: number; max: number }) => `${fixed(e.median)} / ${fixed(e.max)} %`;
  console.log(
    table(
      [
        'target',
        'within ±10 %',
        'estimate alone',
        '|error| estimate p50 / max',
        '|error| fitted p50 / max',
        'recordings',
        're-sized',
        'time',
      ],
      r.targets.map((t) => [
        `${t.targetSeconds} s`,
        `${t.within}/${t.briefs}`,
        `${t.withinFirst}/${t.briefs}`,
        err(t.firstErrorPct),
        err(t.fittedErrorPct),
        `${fixed(t.recordings.mean, 2)} (max ${t.recordings.max})`,
        String(t.resizes),
        `${fixed(t.seconds, 0)} s`,
      ]),
    ),
  );
  console.log(`within ±10 %: ${r.within}/${r.total}`);
  for (const t of r.targets)
    for (const m of t.misses) console.log(`  miss at ${t.targetSeconds} s: ${m.brief} (${m.seconds} s)`);
}
