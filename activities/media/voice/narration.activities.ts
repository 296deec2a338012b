/**
 * Narration on the media queue: one audio clip per scene, measured from its WAV header (ffprobe for other types).
 * Each clip is stored with a small JSON sidecar written after it (the commit marker) holding a hash of what was spoken
 * and how; a retry after a crash, or a rerun with the same script, reuses every clip whose sidecar matches and speaks
 * only the rest.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context, log } from '@temporalio/activity';
import { z } from 'zod';
import { speechText } from '../../../lib/video/speech-text';
import type { NarrationClip, VoiceChoice } from '../../../lib/video/types';
import { storageKeyProblem, type FileStorage } from '../../storage/file-storage.port';
import { wavFromHeader } from '../media-header';
import { audioDuration, probeMedia } from '../probe';
import { ToolExitError } from '../tool-runner';
import { VOICE_PROVIDERS, type Voice } from './voice.port';
import { checkActivityInput } from '../../shared/activity-input';
import { withHeartbeat } from '../../shared/heartbeat';
import { failure } from '../../../lib/failures';

export interface SynthesizeNarrationInput {
  /** Storage folder of the video, `videos/<brandId>/<videoId>`; clips are `narration-<index>.<ext>` in it. */
  keyPrefix: string;
  scenes: { index: number; narration: string }[];
  voice: VoiceChoice;
  /** BCP 47 language of the narration; picks the voice when `voice.voice` is not set. */
  language: string;
}

export interface VoiceActivityDeps {
  storage: FileStorage;
  /** The configured voice, used when a request names no provider. */
  voice: Voice;
  /** Other providers a request may name (`VoiceChoice.provider`). */
  voices?: readonly Voice[];
  /** Default: `ffprobe` on the PATH. */
  ffprobePath?: string;
  /** Parent of the activity's temporary folder; default the OS temp dir. */
  tmpDir?: string;
}

/** Sidecar format; bump it when the hash inputs change so old sidecars stop matching. */
const SIDECAR_VERSION = 1;
export const MAX_NARRATION_SCENES = 60;
export const MAX_NARRATION_CHARS = 5_000;

interface NarrationSidecar {
  version: number;
  hash: string;
  contentType: string;
  clip: NarrationClip;
}

const keyPrefixSchema = z.string().superRefine((prefix, ctx) => {
  const problem = storageKeyProblem(prefix) ?? storageKeyProblem(`${prefix}/narration-0.json`);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const inputSchema = z.object({
  keyPrefix: keyPrefixSchema,
  scenes: z
    .array(
      z.object({
        index: z.number().int().min(0).max(999),
        narration: z.string().trim().min(1).max(MAX_NARRATION_CHARS),
      }),
    )
    .min(1)
    .max(MAX_NARRATION_SCENES)
    .refine((scenes) => new Set(scenes.map((s) => s.index)).size === scenes.length, 'scene indexes must be unique'),
  voice: z.object({
    provider: z.enum(VOICE_PROVIDERS).optional(),
    voice: z.string().trim().min(1).max(100).optional(),
    wordsPerMinute: z.number().int().min(80).max(400).optional(),
  }),
  language: z
    .string()
    .max(35)
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/, 'must be a BCP 47 language tag such as en or pt-BR'),
});

function parseInput(input: unknown): z.infer<typeof inputSchema> {
  return checkActivityInput(inputSchema, input, 'narration');
}

/** What decides a clip's content: the same hash means the stored clip can be reused as it is. */
export function narrationHash(parts: {
  provider: string;
  voice?: string;
  language: string;
  wordsPerMinute?: number;
  text: string;
}): string {
  const fields = [
    SIDECAR_VERSION,
    parts.provider,
    parts.voice ?? null,
    parts.language.toLowerCase(),
    parts.wordsPerMinute ?? null,
    parts.text,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export function createVoiceActivities(deps: VoiceActivityDeps) {
  const { storage } = deps;
  const ffprobe = deps.ffprobePath ?? 'ffprobe';
  const providers = new Map<string, Voice>([...(deps.voices ?? []), deps.voice].map((v) => [v.name, v]));

  function pickVoice(choice: VoiceChoice): Voice {
    const name = choice.provider ?? deps.voice.name;
    const voice = providers.get(name);
    if (!voice) {
      throw failure(
        'ProviderMisconfigured',
        `Voice provider "${name}" is not configured on this worker (available: ${[...providers.keys()].join(', ')})`,
      );
    }
    return voice;
  }

  async function readSidecar(key: string): Promise<NarrationSidecar | undefined> {
    const data = await storage.get(key);
    if (!data) return undefined;
    try {
      const sidecar = JSON.parse(data.toString('utf8')) as NarrationSidecar;
      return sidecar?.version === SIDECAR_VERSION && typeof sidecar.hash === 'string' && sidecar.clip
        ? sidecar
        : undefined;
    } catch {
      // A sidecar that does not parse is treated as missing: the clip is spoken again and the sidecar rewritten.
      return undefined;
    }
  }

  /**
   * The clip's length in seconds, from a WAV's header or else ffprobe; audio that cannot be measured is the provider's
   * fault, worth another attempt.
   */
  async function measure(
    audio: Buffer,
    toFile: () => Promise<string>,
    provider: string,
    signal: AbortSignal,
  ): Promise<number> {
    let seconds: number | undefined;
    try {
      seconds = audioDuration(wavFromHeader(audio) ?? (await probeMedia(ffprobe, await toFile(), signal)));
    } catch (err) {
      if (!(err instanceof ToolExitError)) throw err;
    }
    if (seconds === undefined || !(seconds > 0)) {
      throw failure('ProviderUnavailable', `${provider} returned audio that ffprobe cannot measure`);
    }
    return Math.round(seconds * 1000) / 1000;
  }

  return {
    /**
     * Speaks each scene's narration and stores it at `<keyPrefix>/narration-<index>.<ext>`, returning the clips in
     * the scenes' order with their measured lengths. Heartbeats `{ stage, scene, done, total, percent }`.
     */
    async synthesizeNarration(input: SynthesizeNarrationInput): Promise<NarrationClip[]> {
      const { keyPrefix, scenes, voice: choice, language } = parseInput(input);
      const voice = pickVoice(choice);
      const signal = Context.current().cancellationSignal;
      const started = Date.now();

      const first = { stage: 'synthesizing', scene: scenes[0].index, done: 0, total: scenes.length, percent: 0 };
      let workDir: string | undefined;
      const clips: NarrationClip[] = [];
      let reused = 0;
      // One ElevenLabs call can outlast the heartbeat timeout: the kit beats on a timer as well as per scene.
      await withHeartbeat(first, async (heartbeat) => {
        try {
          for (const [position, scene] of scenes.entries()) {
            heartbeat.update({
              scene: scene.index,
              done: position,
              percent: Math.floor((100 * position) / scenes.length),
            });
            // After the beat: a cancellation delivered with it stops the work before the next scene starts.
            signal.throwIfAborted();

            // Numbers, dates and units as words of the language: what the length estimate counted, and what a voice
            // reads best (lib/video/speech-text.ts).
            const text = speechText(scene.narration, language);
            const hash = narrationHash({
              provider: voice.name,
              voice: choice.voice,
              language,
              wordsPerMinute: choice.wordsPerMinute,
              text,
            });
            const sidecarKey = `${keyPrefix}/narration-${scene.index}.json`;
            const previous = await readSidecar(sidecarKey);
            if (previous?.hash === hash && (await storage.exists(previous.clip.key))) {
              clips.push(previous.clip);
              reused++;
              continue;
            }

            const speech = await voice.synthesize(text, {
              voice: choice.voice,
              language,
              wordsPerMinute: choice.wordsPerMinute,
              signal,
            });
            const durationSeconds = await measure(
              speech.audio,
              async () => {
                workDir ??= await fs.mkdtemp(path.join(deps.tmpDir ?? os.tmpdir(), 'studioflow-voice-'));
                const file = path.join(workDir, `narration-${scene.index}.${speech.extension}`);
                await fs.writeFile(file, speech.audio);
                return file;
              },
              speech.provider,
              signal,
            );

            const key = `${keyPrefix}/narration-${scene.index}.${speech.extension}`;
            signal.throwIfAborted();
            await storage.put(key, speech.audio, speech.contentType);
            const clip: NarrationClip = {
              sceneIndex: scene.index,
              key,
              durationSeconds,
              provider: speech.provider,
              voice: speech.voice,
              characters: [...text].length,
            };
            const sidecar: NarrationSidecar = { version: SIDECAR_VERSION, hash, contentType: speech.contentType, clip };
            await storage.put(sidecarKey, Buffer.from(JSON.stringify(sidecar, null, 2)), 'application/json');
            // A different provider before may have left a clip of another type: it no longer belongs to the video.
            if (previous && previous.clip.key !== key) await storage.delete(previous.clip.key);
            clips.push(clip);
          }
          heartbeat.update({ done: scenes.length, percent: 100 });
        } finally {
          if (workDir) await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
        }
      });

      log.info('Synthesized narration', {
        keyPrefix,
        provider: voice.name,
        scenes: clips.length,
        reused,
        seconds: Math.round(clips.reduce((n, c) => n + c.durationSeconds, 0) * 10) / 10,
        characters: clips.reduce((n, c) => n + c.characters, 0),
        durationMs: Date.now() - started,
        storage: storage.name,
      });
      return clips;
    },
  };
}

export type VoiceActivities = ReturnType<typeof createVoiceActivities>;
