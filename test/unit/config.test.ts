import { ConfigError, loadConfig } from '../../lib/config';

describe('loadConfig', () => {
  it('has defaults that run everything locally', () => {
    const config = loadConfig({});
    expect(config.api.port).toBe(3000);
    expect(config.temporal.address).toBe('localhost:7233');
    expect(config.temporal.taskQueues).toEqual({ main: 'main', media: 'media', browser: 'browser' });
    expect(config.text.providers).toEqual(['offline']);
    expect(config.database.url).toBeUndefined();
    expect(Object.isFrozen(config.temporal)).toBe(true);
  });

  it('parses "false" as false (z.coerce.boolean would not)', () => {
    expect(loadConfig({ SECURE_COOKIES: 'false' }).api.secureCookies).toBe(false);
    expect(loadConfig({ SECURE_COOKIES: 'true' }).api.secureCookies).toBe(true);
  });

  it('prefixes task queues and splits provider lists', () => {
    const config = loadConfig({ TEMPORAL_TASK_QUEUE_PREFIX: 'acme-', TEXT_PROVIDERS: 'openai, offline' });
    expect(config.temporal.taskQueues.browser).toBe('acme-browser');
    expect(config.text.providers).toEqual(['openai', 'offline']);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ API_PORT: 'seventy', SECURE_COOKIES: 'maybe', PUBLIC_URL: 'not a url' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ API_PORT: 'seventy', SECURE_COOKIES: 'maybe' });
    } catch (err) {
      expect((err as Error).message).toMatch(/API_PORT/);
      expect((err as Error).message).toMatch(/SECURE_COOKIES/);
    }
  });
});
