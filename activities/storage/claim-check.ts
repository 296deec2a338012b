/**
 * Claim-check for large activity values: the producing activity stores the value as JSON and hands the workflow a
 * key; the consuming activity loads it. Workflow history then carries keys and small summaries, not the values.
 * A retried producer overwrites the same key, so consumers always read what the completed attempt returned.
 */
import { failure } from '../../lib/failures';
import { assertValidStorageKey, type FileStorage } from './file-storage.port';

export interface StoredJson {
  key: string;
  bytes: number;
}

export async function putJson(storage: FileStorage, key: string, value: unknown): Promise<StoredJson> {
  assertValidStorageKey(key);
  const stored = await storage.put(key, Buffer.from(JSON.stringify(value), 'utf8'), 'application/json');
  return { key: stored.key, bytes: stored.bytes };
}

/** The value stored under `key`; `NotFound` (not retried) when it is gone, e.g. deleted with its report. */
export async function getJson<T>(storage: FileStorage, key: string, what = 'Stored value'): Promise<T> {
  assertValidStorageKey(key);
  const data = await storage.get(key);
  if (data === null) throw failure('NotFound', `${what} was not found under ${key}`);
  return JSON.parse(data.toString('utf8')) as T;
}
