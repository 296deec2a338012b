import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getJson, putJson } from '../../activities/storage/claim-check';
import { createLocalFileStorage } from '../../activities/storage';

const storage = createLocalFileStorage({
  rootDir: fs.mkdtempSync(path.join(os.tmpdir(), 'claim-check-')),
  publicBaseUrl: 'http://127.0.0.1:1',
});

it('stores a value as JSON under its key and loads it back whole', async () => {
  const value = { overall: 61.5, series: [{ period: '2026-11-01', followers: null }], note: 'ünïcode ✓' };
  const stored = await putJson(storage, 'reports/b/r/work/scores.json', value);
  expect(stored).toEqual({ key: 'reports/b/r/work/scores.json', bytes: Buffer.byteLength(JSON.stringify(value)) });
  await expect(getJson(storage, stored.key)).resolves.toEqual(value);
});

it('a retried producer overwrites the same key', async () => {
  await putJson(storage, 'work/analysis.json', { attempt: 1 });
  await putJson(storage, 'work/analysis.json', { attempt: 2 });
  await expect(getJson(storage, 'work/analysis.json')).resolves.toEqual({ attempt: 2 });
});

it('a missing value is NotFound, not retried; a bad key is refused', async () => {
  await expect(getJson(storage, 'work/gone.json', 'The report scores')).rejects.toMatchObject({
    type: 'NotFound',
    nonRetryable: true,
    message: expect.stringContaining('The report scores was not found under work/gone.json'),
  });
  await expect(putJson(storage, '../escape.json', {})).rejects.toMatchObject({ type: 'InvalidInput' });
});
