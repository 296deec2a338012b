import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { renderSceneFrameHtml } from '../activities/render/scene-frame.template';
const texts = ['Loosen the nuts before you lift the car','Jack it up on a firm, level spot','Swap the flat for the spare, valve out','Tighten the nuts in a star pattern','Check the pressure: 2.3 bar is right for most cars'];
async function main() {
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1080, height: 1920, deviceScaleFactor: 1 });
  const brand = { name: 'Lumen Coffee', colors: ['#2b5d4f', '#f2c14e'] } as any;
  for (let i = 0; i < 5; i++) {
    const html = renderSceneFrameHtml({ brand, scene: { index: i, onScreenText: texts[i], visual: 'tyre' } as any, sceneCount: 5, format: 'vertical' } as any);
    await page.setContent(html, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 200));
    fs.writeFileSync(`/tmp/rx/frame-${i}.png`, await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 1080, height: 1920 } }));
    fs.writeFileSync(`/tmp/rx/frame-${i}.jpg`, await page.screenshot({ type: 'jpeg', quality: 92, clip: { x: 0, y: 0, width: 1080, height: 1920 } }));
    const wav = execFileSync('espeak-ng', ['-v', 'en', '-s', '150', '--stdout', texts[i] + '. ' + texts[(i+1)%5] + '. And keep going, it is easy.']);
    fs.writeFileSync(`/tmp/rx/narration-${i}.wav`, wav);
  }
  await browser.close();
}
main();
