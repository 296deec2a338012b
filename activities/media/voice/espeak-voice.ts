/**
 * The embedded voice: espeak-ng, offline, WAV. Robotic next to a cloud voice, but real speech in ~100 languages at
 * thousands of words per second. Voices are checked against what the installed espeak-ng lists (`--voices`,
 * `--voices=variant`), read once per process: espeak-ng itself accepts an unknown variant silently.
 */
import { runTool, ToolExitError } from '../tool-runner';
import { DEFAULT_WORDS_PER_MINUTE, type SynthesizeOptions, type SynthesizedSpeech, type Voice } from './voice.port';
import { failure } from '../../../lib/failures';

export interface EspeakVoiceOptions {
  /** Default: `espeak-ng` on the PATH. */
  espeakPath?: string;
  /** The longest one synthesis may run; default 60 s. */
  timeoutMs?: number;
}

const INSTALL = 'apt-get install -y espeak-ng';
/** espeak-ng's own limits for `-s`. */
const MIN_WPM = 80;
const MAX_WPM = 450;

/** Languages whose best espeak-ng voice is not the language code itself. */
const PREFERRED_VOICE: Record<string, string> = { en: 'en-us', zh: 'cmn', no: 'nb' };

/** What the installed espeak-ng offers, keyed by lower-cased alias. */
export interface EspeakCatalogue {
  /** Language code, voice name, voice file or other-language code → the code to pass to `-v`. */
  bases: Map<string, string>;
  /** Variant name (`female3`) or file (`f3`) → the file name to pass after `+`. */
  variants: Map<string, string>;
}

const ROW = /^\s*\d+\s+(\S+)\s+\S+\s+(\S+)\s+(\S+)\s*(.*)$/;

/** Parses `espeak-ng --voices` and `espeak-ng --voices=variant` output. */
export function parseEspeakCatalogue(voices: string, variants: string): EspeakCatalogue {
  const bases = new Map<string, string>();
  const others: [string, string][] = [];
  for (const line of voices.split('\n')) {
    const m = ROW.exec(line);
    if (!m || m[1] === 'Language') continue;
    const [, code, name, file, rest] = m;
    for (const alias of [code, name, file]) bases.set(alias.toLowerCase(), code);
    for (const other of rest.matchAll(/\(([^\s()]+)\s+\d+\)/g)) others.push([other[1].toLowerCase(), other[1]]);
  }
  // espeak-ng resolves an other-language code (`fr`, listed under fr-fr) itself; a real code wins over it.
  for (const [alias, code] of others) if (!bases.has(alias)) bases.set(alias, code);

  const variantMap = new Map<string, string>();
  for (const line of variants.split('\n')) {
    const m = ROW.exec(line);
    if (!m || m[1] !== 'variant') continue;
    const [, , name, file] = m;
    const base = file.replace(/^!v\//, '');
    variantMap.set(name.toLowerCase(), base);
    variantMap.set(base.toLowerCase(), base);
  }
  return { bases, variants: variantMap };
}

/** The `-v` argument for a requested voice (`en-us`, `fr+f3`, `English_(America)+female3`), or why it is unknown. */
export function resolveEspeakVoice(catalogue: EspeakCatalogue, voice: string): string | { problem: string } {
  const [base, variant, ...extra] = voice.trim().split('+');
  if (extra.length > 0) return { problem: 'has more than one "+variant"' };
  const code = catalogue.bases.get(base.toLowerCase());
  if (!code) return { problem: 'is not an installed espeak-ng voice (espeak-ng --voices lists them)' };
  if (variant === undefined) return code;
  const file = catalogue.variants.get(variant.toLowerCase());
  if (!file) return { problem: `has an unknown variant "${variant}" (espeak-ng --voices=variant lists them)` };
  return `${code}+${file}`;
}

/** The voice for a BCP 47 language: the regional tag (`pt-br`), a preferred voice (`en` → `en-us`), then the language. */
export function espeakVoiceForLanguage(catalogue: EspeakCatalogue, language: string): string | undefined {
  const tag = language.trim().toLowerCase().replace(/_/g, '-');
  const primary = tag.split('-')[0];
  // A regional tag first (pt-br, en-gb); a bare language goes through the preferred voice (en → en-us).
  for (const candidate of [tag !== primary ? tag : undefined, PREFERRED_VOICE[primary], primary]) {
    if (candidate && catalogue.bases.has(candidate)) return catalogue.bases.get(candidate);
  }
  return undefined;
}

/**
 * espeak-ng writing to a pipe cannot seek back to write the WAV sizes, so its header carries dummy sizes; players
 * that trust them misreport the length. Sets the RIFF and data chunk sizes from the real length (in place).
 */
export function fixWavHeader(wav: Buffer): Buffer {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') return wav;
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    if (id === 'data') {
      wav.writeUInt32LE(wav.length - offset - 8, offset + 4);
      wav.writeUInt32LE(wav.length - 8, 4);
      return wav;
    }
    const size = wav.readUInt32LE(offset + 4);
    offset += 8 + size + (size % 2);
  }
  return wav;
}

export function createEspeakVoice(options: EspeakVoiceOptions = {}): Voice {
  const binary = options.espeakPath ?? 'espeak-ng';
  const timeoutMs = options.timeoutMs ?? 60_000;
  let catalogue: Promise<EspeakCatalogue> | undefined;

  const run = (args: string[], signal?: AbortSignal, input?: string) =>
    runTool(binary, args, { timeoutMs, signal, input, install: INSTALL });

  /** Read once; a failed read is not cached, so a worker that gets espeak-ng installed recovers. */
  const loadCatalogue = (signal?: AbortSignal): Promise<EspeakCatalogue> => {
    catalogue ??= Promise.all([run(['--voices'], signal), run(['--voices=variant'], signal)])
      .then(([voices, variants]) => parseEspeakCatalogue(voices.stdout.toString(), variants.stdout.toString()))
      .catch((err: unknown) => {
        catalogue = undefined;
        throw err;
      });
    return catalogue;
  };

  return {
    name: 'espeak',

    async synthesize(text: string, opts: SynthesizeOptions): Promise<SynthesizedSpeech> {
      const known = await loadCatalogue(opts.signal);
      let voice: string;
      if (opts.voice !== undefined) {
        const resolved = resolveEspeakVoice(known, opts.voice);
        if (typeof resolved !== 'string') {
          throw failure('InvalidInput', `espeak-ng voice "${opts.voice}" ${resolved.problem}`);
        }
        voice = resolved;
      } else {
        const byLanguage = espeakVoiceForLanguage(known, opts.language);
        if (!byLanguage) {
          throw failure(
            'InvalidInput',
            `espeak-ng has no voice for the language "${opts.language}"; name one explicitly (espeak-ng --voices)`,
          );
        }
        voice = byLanguage;
      }
      const wpm = Math.round(Math.min(MAX_WPM, Math.max(MIN_WPM, opts.wordsPerMinute ?? DEFAULT_WORDS_PER_MINUTE)));

      let stdout: Buffer;
      try {
        // The text goes through stdin, UTF-8 (`-b 1`): never mistaken for an option, any length.
        ({ stdout } = await run(['-v', voice, '-s', String(wpm), '-b', '1', '--stdin', '--stdout'], opts.signal, text));
      } catch (err) {
        if (!(err instanceof ToolExitError)) throw err;
        if (/voice does not exist/i.test(err.stderr)) {
          throw failure('InvalidInput', `espeak-ng has no voice "${voice}"`);
        }
        throw failure('ToolFailed', err.message);
      }
      // A RIFF header is 44 bytes: anything that short holds no speech.
      if (stdout.length <= 44) throw failure('ToolFailed', 'espeak-ng produced no audio');
      return { audio: fixWavHeader(stdout), contentType: 'audio/wav', extension: 'wav', provider: 'espeak', voice };
    },

    async check() {
      const known = await loadCatalogue();
      if (known.bases.size === 0) throw new Error('espeak-ng lists no voices');
    },
  };
}
