/** Media inspection with ffprobe on the media queue: what a rendered file really contains. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Context } from '@temporalio/activity';
import { resolveStoragePath, type FileStorage } from '../storage';
import { failure } from '../../lib/failures';

export interface MediaStream {
  type: string;
  codec: string;
  width?: number;
  height?: number;
  durationSeconds?: number;
}

export interface MediaInfo {
  key: string;
  format: string;
  durationSeconds?: number;
  bytes: number;
  streams: MediaStream[];
}

interface FfprobeOutput {
  format?: { format_name?: string; duration?: string; size?: string };
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number; duration?: string }[];
}

const num = (v: string | undefined) => (v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v));

/** Works on the local file storage: ffprobe needs a path. */
export function createMediaInspectActivities(deps: { storage: FileStorage; filesDir: string; ffprobePath?: string }) {
  return {
    async inspectMedia(input: { key: string }): Promise<MediaInfo> {
      if (!(await deps.storage.exists(input.key))) throw failure('NotFound', `No file at ${input.key}`);
      const { stdout } = await promisify(execFile)(
        deps.ffprobePath ?? 'ffprobe',
        [
          '-v',
          'error',
          '-print_format',
          'json',
          '-show_format',
          '-show_streams',
          resolveStoragePath(deps.filesDir, input.key),
        ],
        { signal: Context.current().cancellationSignal, maxBuffer: 4 * 1024 * 1024 },
      );
      const probe = JSON.parse(stdout) as FfprobeOutput;
      return {
        key: input.key,
        format: probe.format?.format_name ?? 'unknown',
        durationSeconds: num(probe.format?.duration),
        bytes: num(probe.format?.size) ?? 0,
        streams: (probe.streams ?? []).map((s) => ({
          type: s.codec_type ?? 'unknown',
          codec: s.codec_name ?? 'unknown',
          width: s.width,
          height: s.height,
          durationSeconds: num(s.duration),
        })),
      };
    },
  };
}

export type MediaInspectActivities = ReturnType<typeof createMediaInspectActivities>;
