import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ConfigError, loadConfig } from '../../lib/config';
import {
  createSecretBox,
  generateKeyEntry,
  loadSecretKeys,
  parseSecretKeys,
  sealedKeyId,
  secretBoxFromConfig,
  SecretBoxError,
} from '../../lib/secrets';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('SecretBox', () => {
  const k1 = key('k1');
  const box = createSecretBox([k1]);

  it('round-trips any text, and never writes it in clear', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), fc.string(), (plaintext, context) => {
        const sealed = box.seal(plaintext, context);
        expect(sealed).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]+$/);
        expect(box.isSealed(sealed)).toBe(true);
        expect(box.open(sealed, context)).toBe(plaintext);
        if (plaintext.length > 3) expect(sealed).not.toContain(plaintext);
      }),
    );
  });

  it('seals the same text differently each time (fresh IV)', () => {
    expect(box.seal('whsec_same', 'c')).not.toBe(box.seal('whsec_same', 'c'));
  });

  it('does not open in another context: a value moved to another row is refused', () => {
    const sealed = box.seal('whsec_abc', 'webhook_endpoints.secret:row-1');
    expect(() => box.open(sealed, 'webhook_endpoints.secret:row-2')).toThrow(SecretBoxError);
  });

  it('refuses a tampered or truncated value, and says nothing about its content', () => {
    const sealed = box.seal('whsec_abcdefgh', 'ctx');
    const body = sealed.slice('enc:v1:k1:'.length);
    const flipped = `enc:v1:k1:${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    expect(() => box.open(flipped, 'ctx')).toThrow(/does not open/);
    expect(() => box.open('enc:v1:k1:AAAA', 'ctx')).toThrow(/truncated/);
    expect(() => box.open('whsec_plain', 'ctx')).toThrow(/not sealed/);
    try {
      box.open('whsec_plain', 'ctx');
    } catch (err) {
      expect((err as Error).message).not.toContain('whsec_plain');
    }
  });

  it('rotates: the first key seals, every key opens, an unknown key is named', () => {
    const k2 = key('k2');
    const old = box.seal('sf_token', 'ctx');
    const rotated = createSecretBox([k2, k1]);
    expect(rotated.open(old, 'ctx')).toBe('sf_token');
    const fresh = rotated.seal('sf_token', 'ctx');
    expect(sealedKeyId(fresh)).toBe('k2');
    expect(sealedKeyId('plain')).toBeUndefined();
    expect(() => box.open(fresh, 'ctx')).toThrow(/key "k2", which is not configured/);
  });

  it('tells sealed values from plain ones', () => {
    expect(box.isSealed('whsec_abc')).toBe(false);
    expect(box.isSealed('enc:v1:k1:')).toBe(false);
    expect(box.isSealed('enc:v2:k1:abc')).toBe(false);
  });

  it('refuses bad keys', () => {
    expect(() => createSecretBox([])).toThrow(SecretBoxError);
    expect(() => createSecretBox([{ id: 'k', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => createSecretBox([key('a'), key('a')])).toThrow(/twice/);
    expect(() => createSecretBox([key('bad id')])).toThrow(/letters/);
  });
});

describe('secret keys from configuration', () => {
  it('parses id:base64 lists, base64url too, and never echoes key material', () => {
    const a = generateKeyEntry('a');
    const b = `b:${randomBytes(32).toString('base64url')}`;
    expect(parseSecretKeys(`${a}, ${b}`).map((k) => k.id)).toEqual(['a', 'b']);
    expect(() => parseSecretKeys('a:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseSecretKeys(`${a},${a}`)).toThrow(/unique/);
    expect(() => parseSecretKeys('nocolonhere')).toThrow(/entry 1/);
    const short = `x:${randomBytes(8).toString('base64')}`;
    try {
      parseSecretKeys(short);
    } catch (err) {
      expect((err as Error).message).not.toContain(short.slice(2));
    }
  });

  it('refuses to start in production without keys, in one sentence naming SECRETS_KEYS', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEYS: is required in production/);
    expect(loadConfig({ NODE_ENV: 'production', SECRETS_KEYS: generateKeyEntry('p1') }).secrets.keys).toMatch(/^p1:/);
    expect(() => loadConfig({ SECRETS_KEYS: 'p1:tooshort' })).toThrow(/SECRETS_KEYS: key "p1" must be 32 bytes/);
  });

  it('in development, generates one key into DATA_DIR/secrets.keys (0600) and reuses it', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir });
      const sealed = secretBoxFromConfig(config).seal('whsec_dev', 'ctx');
      const file = path.join(dataDir, 'secrets.keys');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(secretBoxFromConfig(config).open(sealed, 'ctx')).toBe('whsec_dev');
      expect(loadSecretKeys(config)).toHaveLength(1);
      fs.chmodSync(file, 0o644);
      expect(secretBoxFromConfig(config).open(sealed, 'ctx')).toBe('whsec_dev');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dataDir)).toEqual(['secrets.keys']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('configured keys win over the development file', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
    try {
      const keys = loadSecretKeys(loadConfig({ DATA_DIR: dataDir, SECRETS_KEYS: generateKeyEntry('cfg') }));
      expect(keys.map((k) => k.id)).toEqual(['cfg']);
      expect(fs.existsSync(path.join(dataDir, 'secrets.keys'))).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
