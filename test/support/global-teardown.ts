import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__studioflow as
    { temporal: { stop(): Promise<void> }; database: { stop(): Promise<void> }; workDir: string } | undefined;
  if (!state) return;
  await Promise.allSettled([state.temporal?.stop(), state.database?.stop()]);
  fs.rmSync(state.workDir, { recursive: true, force: true });
}
