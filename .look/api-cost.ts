import http from 'node:http';
import inspector from 'node:inspector/promises';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Cleanup, startBenchEnvironment } from '../bench/environment';
import { startTestStack } from '../test/support/harness';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../temporal/search-attributes';
import { inParallel } from '../bench/start-throughput.bench';

async function main() {
  const cleanup = new Cleanup();
  await startBenchEnvironment(cleanup, '/usr/bin/chromium', () => undefined);
  const stack = await startTestStack('api-cost', { workers: [], env: {} });
  const brand = (await stack.brand()) as { id: string };
  const approval = { required: true, timeoutSeconds: 86400, onTimeout: 'reject' };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const tag = randomUUID().slice(0, 8);
  let n = 0;
  const stackUrl = stack.baseUrl;
  const key = stack.keys.admin;
  const body = (i: number) => JSON.stringify({ automation: 'social-post', requestId: `c-${tag}-${i}`, input: { brandId: brand.id, platform: 'instagram', postType: 'educational', approval } });
  const httpPost = (path: string, payload?: string) => new Promise<number>((resolve, reject) => {
    const u = new URL(path, stackUrl);
    const req = http.request(u, { method: payload ? 'POST' : 'GET', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-requested-with': 't' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject); req.end(payload);
  });
  const modes: Record<string, (i: number) => Promise<void>> = {
    raw: async (i) => { await stack.client.workflow.start('socialPostWorkflow', { taskQueue: stack.config.temporal.taskQueues.main, workflowId: `raw-${tag}-${i}`, args: [{ workspaceId: stack.workspaceId, brandId: brand.id, platform: 'instagram', postType: 'educational', language: 'en', approval }], typedSearchAttributes: [{ key: WorkspaceIdKey, value: stack.workspaceId }, { key: AutomationKey, value: 'social-post' }, { key: BrandIdKey, value: brand.id }] }); },
    fetchPost: async (i) => { const r = await stack.request('POST', '/api/v1/runs', JSON.parse(body(i))); if (r.status !== 201) throw new Error(String(r.status) + JSON.stringify(r.body)); },
    httpPost: async (i) => { const s = await httpPost('/api/v1/runs', body(100000 + i)); if (s !== 201) throw new Error(String(s)); },
    fetchGet404: async () => { await stack.request('GET', '/api/v1/runs/nope'); },
    httpGet404: async () => { await httpPost('/api/v1/runs/nope'); },
    httpHealth: async () => { await httpPost('/healthz'); },
    httpApi404: async () => { await httpPost('/api/v1/zzz'); },
  };
  for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
    for (const [name, fn] of Object.entries(modes).filter(([k]) => !process.env.MODES || process.env.MODES.split(',').includes(k))) {
      const count = Number(process.env.COUNT ?? 300);
      const session = new inspector.Session(); session.connect();
      if (process.env.PROFILE) { await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 200 }); await session.post('Profiler.start'); }
      const c0 = process.cpuUsage(); const t0 = performance.now();
      await inParallel(count, 8, async (i) => fn(n++ * 1 + i * 0 + round * 1000000 + Math.floor(Math.random() * 1e9)));
      const c = process.cpuUsage(c0); const el = performance.now() - t0;
      if (process.env.PROFILE) { const { profile } = await session.post('Profiler.stop'); fs.writeFileSync(`/tmp/prof/${name}.cpuprofile`, JSON.stringify(profile)); }
      session.disconnect();
      console.log(`${name.padEnd(12)} ${(count / el * 1000).toFixed(0).padStart(5)}/s  thread CPU ${((c.user + c.system) / 1000 / count).toFixed(2)} ms/req`);
    }
  }
  await stack.stop();
  await cleanup.runAll();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
