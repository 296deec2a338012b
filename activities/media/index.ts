/**
 * The media queue's activities: media inspection, narration (voice) and the video render. Workflows import the
 * activity types from here; the media worker builds them with the factories.
 */
export * from './inspect.activities';
export * from './probe';
export * from './tool-runner';
export * from './voice/voice.port';
export * from './voice/espeak-voice';
export * from './voice/elevenlabs-voice';
export * from './voice/providers';
export * from './voice/narration.activities';
export * from './video/ffmpeg-args';
export * from './video/segments';
export * from './video/subtitles';
export * from './video/render-video.activities';
