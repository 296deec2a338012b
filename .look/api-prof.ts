import inspector from 'node:inspector/promises';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Cleanup, startBenchEnvironment } from '../bench/environment';
import { startTestStack } from '../test/support/harness';
import { runHttpLoad } from '../bench/http-load';

async function main() {
  const cleanup = new Cleanup();
  await startBenchEnvironment(cleanup, '/usr/bin/chromium', () => undefined);
  const stack = await startTestStack('api-prof', { workers: [], env: {} });
  const brand = (await stack.brand()) as { id: string };
  const approval = { required: true, timeoutSeconds: 86400, onTimeout: 'reject' };
  const tag = randomUUID().slice(0, 8);
  const reqs = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ method: 'POST', path: '/api/v1/runs', headers: { authorization: `Bearer ${stack.keys.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ automation: 'social-post', requestId: `p-${tag}-${from + i}`, input: { brandId: brand.id, platform: 'instagram', postType: 'educational', approval } }) }));
  await runHttpLoad(stack.baseUrl, reqs(100, 0), 8);
  const session = new inspector.Session(); session.connect();
  await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 }); await session.post('Profiler.start');
  const c0 = process.cpuUsage(); const elu0 = performance.eventLoopUtilization();
  const r = await runHttpLoad(stack.baseUrl, reqs(Number(process.env.COUNT ?? 1000), 1000), Number(process.env.C ?? 1));
  const c = process.cpuUsage(c0); const elu = performance.eventLoopUtilization(elu0);
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync('/tmp/prof/api.cpuprofile', JSON.stringify(profile));
  const n = r.responses.length;
  console.log(`${n} in ${r.elapsedMs.toFixed(0)} ms; process CPU ${((c.user + c.system) / 1000 / n).toFixed(2)} ms/req (incl. generator thread); main thread active ${(elu.active / n).toFixed(2)} ms/req`);
  await stack.stop(); await cleanup.runAll();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
