/**
 * Workflows carry ids and small summaries; large values (logos, documents, analyses) live in storage. Every recorded
 * history (test/histories, replayed by test/integration/replay.test.ts) is held to 64 KB of payload per event, well
 * under Temporal's 512 KB warning and 2 MB limit, so a value that sneaks into an activity's input or result fails here.
 */
import fs from 'node:fs';
import path from 'node:path';

const HISTORIES = path.resolve(__dirname, '..', 'histories');
const LIMIT = 64 * 1024;

/** The decoded size of every payload under one event (inputs, results, markers, update arguments…). */
function payloadBytes(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  let bytes = 0;
  const payloads = (node as { payloads?: unknown }).payloads;
  if (Array.isArray(payloads)) {
    for (const p of payloads) bytes += Buffer.from((p as { data?: string }).data ?? '', 'base64').length;
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'payloads') bytes += payloadBytes(value);
  return bytes;
}

const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json');

describe('recorded histories', () => {
  it('are there to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s: no event carries more than 64 KB of payload', (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8')) as {
      events: { eventId: string; eventType: string }[];
    };
    const over = history.events
      .map((e) => ({ event: `${e.eventId} ${e.eventType}`, bytes: payloadBytes(e) }))
      .filter((e) => e.bytes > LIMIT);
    expect(over).toEqual([]);
  });

  it('the measure counts payloads wherever they sit', () => {
    const data = Buffer.alloc(70 * 1024).toString('base64');
    expect(payloadBytes({ attributes: { input: { payloads: [{ data }] } } })).toBe(70 * 1024);
    expect(payloadBytes({ a: { result: { payloads: [{ data: 'AAAA' }, { data: 'AAAA' }] } } })).toBe(6);
  });
});
