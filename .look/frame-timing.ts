import puppeteer from 'puppeteer-core';
import { renderSceneFrameHtml } from '../activities/render/scene-frame.template';
async function main() {
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage();
  const brand = { name: 'Lumen Coffee', colors: ['#2b5d4f', '#f2c14e'], slogan: 'Brewed with light' } as any;
  for (let i = 0; i < 8; i++) {
    const html = renderSceneFrameHtml({ brand, scene: { index: i % 5, onScreenText: `Step ${i}: fix the tyre in five minutes`, visual: 'a bike tyre' } as any, sceneCount: 5, format: 'vertical' } as any);
    const t0 = performance.now();
    await page.setViewport({ width: 1080, height: 1920, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    const t1 = performance.now();
    await page.evaluate(`document.fonts.ready.then(() => new Promise((r) => { const p = () => document.documentElement.getAttribute('data-ready') === 'true' ? r(1) : setTimeout(p, 10); p(); }))`);
    const t2 = performance.now();
    const jpg = await page.screenshot({ type: 'jpeg', quality: 95, clip: { x: 0, y: 0, width: 1080, height: 1920 } });
    const t3 = performance.now();
    const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 1080, height: 1920 }, optimizeForSpeed: true });
    const t4 = performance.now();
    console.log(`content ${(t1-t0).toFixed(0)} fit ${(t2-t1).toFixed(0)} jpeg ${(t3-t2).toFixed(0)} (${jpg.length}) png ${(t4-t3).toFixed(0)} (${png.length})`);
  }
  await browser.close();
}
main();
