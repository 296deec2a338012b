/** ffprobe on a local file: what the narration and the render measure and check. */
import { runTool } from './tool-runner';

export interface ProbedStream {
  type: string;
  codec: string;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
  durationSeconds?: number;
}

export interface ProbedMedia {
  format: string;
  durationSeconds?: number;
  streams: ProbedStream[];
}

interface FfprobeJson {
  format?: { format_name?: string; duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    sample_rate?: string;
    channels?: number;
    duration?: string;
  }[];
}

export const FFMPEG_INSTALL = 'apt-get install -y ffmpeg';
const PROBE_TIMEOUT_MS = 30_000;

const num = (v: string | undefined) => {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Rejects with the runner's failures (`ToolExitError` when ffprobe cannot read the file). */
export async function probeMedia(ffprobePath: string, file: string, signal?: AbortSignal): Promise<ProbedMedia> {
  const { stdout } = await runTool(
    ffprobePath,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    { timeoutMs: PROBE_TIMEOUT_MS, signal, maxOutputBytes: 4 * 1024 * 1024, install: FFMPEG_INSTALL },
  );
  const probe = JSON.parse(stdout.toString('utf8')) as FfprobeJson;
  return {
    format: probe.format?.format_name ?? 'unknown',
    durationSeconds: num(probe.format?.duration),
    streams: (probe.streams ?? []).map((s) => ({
      type: s.codec_type ?? 'unknown',
      codec: s.codec_name ?? 'unknown',
      width: s.width,
      height: s.height,
      sampleRate: num(s.sample_rate),
      channels: s.channels,
      durationSeconds: num(s.duration),
    })),
  };
}

/** The length of the file's first audio stream (or of the container), or undefined when it has no audio. */
export function audioDuration(media: ProbedMedia): number | undefined {
  const audio = media.streams.find((s) => s.type === 'audio');
  if (!audio) return undefined;
  return audio.durationSeconds ?? media.durationSeconds;
}
