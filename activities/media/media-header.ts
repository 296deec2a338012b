/**
 * What the narration and the render need to know of a still or a WAV clip, read from the bytes already in memory.
 * Each ffprobe costs ~0.15 s of start-up (Debian's build links ~215 libraries) before it reads a byte, and a render
 * checked ten inputs that way: for the formats our own steps write (PNG and JPEG stills, espeak-ng's PCM WAV) the
 * header says all that is asked. Anything else (MP3 from ElevenLabs, music, an unknown type) still goes to ffprobe.
 */
import { imageSize } from 'image-size';
import { createFile, MP4BoxBuffer, type Movie } from 'mp4box';
import type { ProbedMedia } from './probe';

const STILL_TYPES = new Set(['png', 'jpg', 'webp']);

/** A PNG, JPEG or WebP still as ffprobe would describe it (one video stream of its size); else undefined. */
export function stillFromHeader(data: Buffer): ProbedMedia | undefined {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(data);
  } catch {
    return undefined;
  }
  if (!size.type || !STILL_TYPES.has(size.type) || !(size.width > 0) || !(size.height > 0)) return undefined;
  return { format: size.type, streams: [{ type: 'video', codec: size.type, width: size.width, height: size.height }] };
}

/**
 * A PCM WAV clip (RIFF, format 1) with its length: the data chunk's bytes over the byte rate, as ffprobe computes it.
 * When the data chunk claims more bytes than the clip holds (espeak-ng streams 0xFFFFFFFF there; fixWavHeader
 * rewrites it before storing), the bytes actually present are counted.
 */
export function wavFromHeader(data: Buffer): ProbedMedia | undefined {
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let fmt: { channels: number; sampleRate: number; byteRate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= data.length) {
    const id = data.toString('ascii', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= data.length) {
      if (data.readUInt16LE(body) !== 1) return undefined;
      fmt = {
        channels: data.readUInt16LE(body + 2),
        sampleRate: data.readUInt32LE(body + 4),
        byteRate: data.readUInt32LE(body + 8),
        bits: data.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt || !(fmt.byteRate > 0) || !(fmt.channels > 0) || !(fmt.sampleRate > 0)) return undefined;
      const bytes = Math.min(size, data.length - body);
      const durationSeconds = bytes / fmt.byteRate;
      return {
        format: 'wav',
        durationSeconds,
        streams: [
          {
            type: 'audio',
            codec: `pcm_s${fmt.bits}le`,
            sampleRate: fmt.sampleRate,
            channels: fmt.channels,
            durationSeconds,
          },
        ],
      };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}

/** The still or the WAV clip in `data`, described from its header; undefined: ask ffprobe. */
export function mediaFromHeader(data: Buffer): ProbedMedia | undefined {
  return wavFromHeader(data) ?? stillFromHeader(data);
}

/** ffprobe's names for the codecs the render writes, from their MP4 sample entries (RFC 6381 strings). */
const MP4_CODECS: [RegExp, string][] = [
  [/^avc[13]\./, 'h264'],
  [/^mp4a\.40\./, 'aac'],
];

/**
 * An MP4 whose index (`moov`) comes before its media, described from that index alone (mp4box, GPAC's parser): the
 * movie's length and each track's codec, picture size or sample rate. Undefined when there is no such index: ask
 * ffprobe.
 */
export function mp4FromIndex(file: Buffer): ProbedMedia | undefined {
  let offset = 0;
  let end = 0;
  while (offset + 8 <= file.length) {
    const size = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    if (type === 'mdat' || size < 8) return undefined;
    if (type === 'moov') {
      end = offset + size;
      break;
    }
    offset += size;
  }
  if (end === 0 || end > file.length) return undefined;
  const parser = createFile();
  let info: Movie | undefined;
  parser.onReady = (ready) => (info = ready);
  parser.onError = () => (info = undefined);
  parser.appendBuffer(MP4BoxBuffer.fromArrayBuffer(file.buffer.slice(file.byteOffset, file.byteOffset + end), 0));
  parser.flush();
  if (!info || !(info.timescale > 0)) return undefined;
  return {
    format: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSeconds: info.duration / info.timescale,
    streams: info.tracks.map((track) => ({
      type: track.video ? 'video' : track.audio ? 'audio' : 'data',
      codec: MP4_CODECS.find(([pattern]) => pattern.test(track.codec))?.[1] ?? track.codec,
      width: track.video?.width,
      height: track.video?.height,
      sampleRate: track.audio?.sample_rate,
      // Not the channels: an AAC sample entry says 2 whatever its own configuration (in `esds`) holds.
      durationSeconds: track.timescale > 0 ? track.duration / track.timescale : undefined,
    })),
  };
}
