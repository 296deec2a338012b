/**
 * The embedded script writer: no account, no key, no network. It writes a video script from the brief and the brand's
 * own facts, in the shape short brand videos use:
 *
 *   hook → problem → 2–N points (brand keywords, mission, audience, care for detail, then general advice) → proof → call
 *   to action
 *
 * and sizes it to the target length at the voice's rate (`narrationWords`: the target less the pauses between scenes): it starts from one scene per 5–10 s
 * (`sceneCountFor`), then lengthens scenes with further sentences or adds points while the narration is short, and
 * shortens sentences or removes points while it is long, until the planned total is within a few percent of the
 * target. On-screen texts are short headlines (shorter on a vertical frame); visuals describe each frame.
 *
 * Deterministic by design: the same request always yields the same script (phrasing variants are picked by a hash of
 * the brand and topic, never by randomness or the clock), so retries and replays agree and tests can pin it.
 *
 * Language: English phrasing; the brief's topic, audience and call to action are used as typed, so a brief written in
 * another language keeps its words. Translating the whole script is the model's job.
 *
 * What the scenes say is in offline-scenes.ts (general advice in phrasebooks/advice.data.ts), how they are sized in
 * script-sizing.ts; this module puts them together and writes each platform's metadata.
 */
import {
  checkMetadata,
  composeVideoText,
  measureVideoText,
  planScript,
  SCRIPT_LIMITS,
  sceneCountFor,
  narrationWords,
  VIDEO_PLATFORM_LIMITS,
  type SceneText,
} from '../../lib/video/script-rules';
import type { PlatformMetadata, VideoPlatform, VideoScript } from '../../lib/video/types';
import { clean, clipAtWord, endSentence, toHashtag } from '../../lib/prose';
import { factsOf, pointPool } from './offline-scenes';
import { initialDrafts, narrationOf, size } from './script-sizing';
import type {
  MetadataRequest,
  ScriptRequest,
  ScriptWriter,
  WrittenMetadata,
  WrittenScript,
} from './script-writer.port';

// ---------------------------------------------------------------------------------------------------------------
// The script

export function writeOfflineScript(req: ScriptRequest): VideoScript {
  const f = factsOf(req);
  const pool = pointPool(f);
  const words = narrationWords(req.targetSeconds, req.wordsPerMinute);
  const drafts = initialDrafts(f, sceneCountFor(req.targetSeconds), pool);
  size(drafts, pool, words, req.wordsPerMinute, req.targetSeconds, req.language);
  const scenes: SceneText[] = drafts.map((d) => ({
    narration: narrationOf(d),
    onScreenText: d.headline,
    visual: d.visual,
  }));
  return planScript({ title: clipAtWord(f.topic, SCRIPT_LIMITS.titleMax), scenes }, req.wordsPerMinute, req.language);
}

// ---------------------------------------------------------------------------------------------------------------
// Metadata

/** How many hashtags read naturally on each platform (the hard caps are VIDEO_PLATFORM_LIMITS). */
const PREFERRED_HASHTAGS: Record<VideoPlatform, number> = {
  local: 5,
  // YouTube shows the first three above the title.
  youtube: 3,
  facebook: 3,
  instagram: 8,
  linkedin: 4,
  x: 2,
  tiktok: 5,
};

function hashtagsFor(req: MetadataRequest): string[] {
  const { brand, brief } = req;
  const candidates = [brand.name, ...brand.keywords, brand.category ?? '', brief.topic]
    .map((t) => toHashtag(t))
    .filter((t): t is string => Boolean(t));
  return candidates.filter((t, i) => candidates.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i);
}

function descriptionFor(platform: VideoPlatform, req: MetadataRequest): string {
  const { brand, brief, script } = req;
  const hook = script.scenes[0]?.narration ?? endSentence(brief.topic);
  const points = script.scenes.slice(1, -1).map((s) => `• ${s.onScreenText}`);
  const cta = endSentence(brief.callToAction);
  const about = [clean(brand.slogan) && `${brand.name}: ${endSentence(clean(brand.slogan)!)}`, clean(brand.mission)]
    .filter(Boolean)
    .join(' ');
  const blocks: (string | undefined)[] =
    platform === 'youtube' || platform === 'local'
      ? [hook, points.length ? `In this video:\n${points.join('\n')}` : undefined, cta, about || undefined]
      : platform === 'linkedin'
        ? [hook, points.length ? points.join('\n') : undefined, cta, clean(brand.mission)]
        : platform === 'instagram'
          ? [hook, points.length ? points.join('\n') : undefined, cta]
          : platform === 'x'
            ? [`${endSentence(brief.topic)} ${cta}`]
            : [hook, cta];
  return blocks.filter((b): b is string => Boolean(b)).join('\n\n');
}

/** Clips the description (and drops hashtags if they alone are too long) until the post is within the limits. */
function fit(meta: PlatformMetadata): PlatformMetadata {
  const limits = VIDEO_PLATFORM_LIMITS[meta.platform];
  const strip = (s: string) => [...(limits.forbiddenChars ?? '')].reduce((t, c) => t.split(c).join(''), s);
  let hashtags = meta.hashtags.slice(0, limits.hashtagsMax);
  if (limits.tagsTotalMax !== undefined) {
    while ([...hashtags.join(',')].length > limits.tagsTotalMax) hashtags = hashtags.slice(0, -1);
  }
  let description = strip(meta.description);
  const title = clipAtWord(strip(meta.title).replace(/\s+/g, ' '), limits.titleMax);
  for (let guard = 0; guard < 200; guard++) {
    const over = measureVideoText(meta.platform, composeVideoText({ ...meta, description, hashtags })) - limits.textMax;
    if (over <= 0) break;
    const length = [...description].length;
    // Keep a readable description: drop hashtags before shortening the description itself.
    if (length - over < 40 && hashtags.length) hashtags = hashtags.slice(0, -1);
    else description = clipAtWord(description, Math.max(1, length - Math.max(1, over)));
  }
  return { ...meta, title, description, hashtags };
}

export function writeOfflineMetadata(req: MetadataRequest): PlatformMetadata[] {
  const tags = hashtagsFor(req);
  const name = clean(req.brand.name) ?? '';
  const topic = clean(req.script.title) ?? clean(req.brief.topic) ?? name;
  const branded = `${topic} | ${name}`;
  const title = name && [...branded].length <= SCRIPT_LIMITS.titleMax ? branded : topic;
  return req.platforms.map((platform) => {
    const meta = fit({
      platform,
      title,
      description: descriptionFor(platform, req),
      hashtags: tags.slice(0, PREFERRED_HASHTAGS[platform]),
    });
    const violations = checkMetadata(meta);
    if (violations.length) {
      // Unreachable with the fitting above; a bug must not publish text a platform would refuse.
      throw new Error(`Offline metadata breaks ${platform}'s rules: ${violations.map((v) => v.message).join('; ')}`);
    }
    return meta;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The writer

const FREE = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

export function createOfflineScriptWriter(): ScriptWriter {
  return {
    name: 'offline',
    // async so a bug surfaces as a rejected promise, the way every other provider fails.
    async writeScript(req: ScriptRequest): Promise<WrittenScript> {
      return { script: writeOfflineScript(req), provider: 'offline', ...FREE };
    },
    async writeMetadata(req: MetadataRequest): Promise<WrittenMetadata> {
      return { items: writeOfflineMetadata(req), provider: 'offline', ...FREE };
    },
    async check(): Promise<void> {},
  };
}
