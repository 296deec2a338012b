/** `.env.example` lists exactly the variables of lib/config.ts, and its active lines are the defaults. */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { loadConfig } from '../../lib/config';

const root = path.resolve(__dirname, '..', '..');
const source = fs.readFileSync(path.join(root, 'lib', 'config.ts'), 'utf8');
const schema = source.slice(
  source.indexOf('const envFields = z.object({'),
  source.indexOf('});', source.indexOf('const envFields')),
);
const schemaKeys = [...schema.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
const optionalKeys = [...schema.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):.*\.optional\(\),?$/gm)].map((m) => m[1]);
const text = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
const lines = text.split('\n');
const listed = new Map<string, { active: boolean; line: number }>();
lines.forEach((line, index) => {
  const m = /^(#\s*)?([A-Z][A-Z0-9_]+)=/.exec(line);
  if (m) listed.set(m[2], { active: !m[1], line: index });
});

describe('.env.example', () => {
  it('lists every configuration variable and nothing else', () => {
    expect(schemaKeys.length).toBeGreaterThan(20);
    expect([...listed.keys()].sort()).toEqual([...schemaKeys].sort());
  });

  it('comments out exactly the optional ones and explains each', () => {
    for (const [key, { active, line }] of listed) {
      expect({ key, active }).toEqual({ key, active: !optionalKeys.includes(key) });
      expect(lines[line - 1]).toMatch(/^# \S/);
    }
  });

  it('gives the defaults on its active lines', () => {
    expect(loadConfig(dotenv.parse(text))).toEqual(loadConfig({}));
  });
});
