/**
 * A PNG as a JPEG, for platforms that take no PNG (TikTok photo posts accept JPEG and WebP only). ffmpeg reads the
 * PNG on stdin and writes one baseline JPEG frame on stdout; full-range 4:2:0 is what every decoder reads.
 */
import { FFMPEG_INSTALL } from '../media/probe';
import { runTool } from '../media/tool-runner';

const CONVERT_TIMEOUT_MS = 60_000;

export async function pngToJpeg(ffmpegPath: string, png: Buffer, signal?: AbortSignal): Promise<Buffer> {
  const { stdout } = await runTool(
    ffmpegPath,
    [
      ...['-hide_banner', '-v', 'error', '-f', 'png_pipe', '-i', 'pipe:0', '-frames:v', '1'],
      ...['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '2', '-f', 'image2pipe', 'pipe:1'],
    ],
    { timeoutMs: CONVERT_TIMEOUT_MS, signal, input: png, maxOutputBytes: 64 * 1024 * 1024, install: FFMPEG_INSTALL },
  );
  return stdout;
}
