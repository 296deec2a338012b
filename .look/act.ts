import fs from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createVideoRenderActivities } from '../activities/media';
import { createLocalFileStorage } from '../activities/storage';
async function main() {
  const storage = createLocalFileStorage({ rootDir: '/tmp/rx/store', publicBaseUrl: 'http://x.invalid/' });
  const secs = [7.746531, 7.947755, 7.697868, 9.034376, 9.477642].map((s) => s * 0.66);
  for (let i = 0; i < 5; i++) {
    await storage.put(`in/frame-${i}.png`, fs.readFileSync(`/tmp/rx/frame-${i}.png`), 'image/png');
    await storage.put(`in/narration-${i}.wav`, fs.readFileSync(`/tmp/rx/narration-${i}.wav`), 'audio/wav');
  }
  const acts = createVideoRenderActivities({ storage, segments: Number(process.env.PARTS ?? 2) });
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const out = await new MockActivityEnvironment().run(() => acts.renderVideo({ keyPrefix: `out/${k}`, format: 'vertical', burnSubtitles: true,
      scenes: [0,1,2,3,4].map((i) => ({ index: i, frameKey: `in/frame-${i}.png`, audioKey: `in/narration-${i}.wav`, audioSeconds: [7.746531, 7.947755, 7.697868, 9.034376, 9.477642][i], subtitle: 'Loosen the nuts before you lift the car and keep going, it is easy' })) }));
    console.log(`render ${(performance.now() - t).toFixed(0)} ms for ${out.video.durationSeconds} s`);
  }
}
main();
