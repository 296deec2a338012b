import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { cosineSimilarity, l2Normalize } from '../../activities/knowledge/embeddings.port';
import {
  contentTerms,
  createLexicalEmbedder,
  LEXICAL_EMBEDDER_VERSION,
  lexicalVector,
} from '../../activities/knowledge/lexical-embedder';
import { createOpenAiEmbedder } from '../../activities/knowledge/openai-embedder';
import { createEmbedderFromConfig } from '../../activities/knowledge/providers';

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('lexical embedder', () => {
  const embedder = createLexicalEmbedder();
  const sim = async (a: string, b: string) =>
    cosineSimilarity(await embedder.embedQuery(a), await embedder.embedQuery(b));

  it('names its vector space and has the default size', () => {
    expect(embedder).toMatchObject({ name: 'lexical', id: `lexical:${LEXICAL_EMBEDDER_VERSION}:512`, dimensions: 512 });
    expect(createLexicalEmbedder({ dimensions: 1024 }).id).toBe(`lexical:${LEXICAL_EMBEDDER_VERSION}:1024`);
    expect(() => createLexicalEmbedder({ dimensions: 3 })).toThrow(/dimensions/);
  });

  it('is deterministic across calls, instances and machines', async () => {
    const text = 'Lumen roasts single-origin coffee in Milan; caffè per tutti! 🚀☕ 2024';
    const a = await embedder.embedQuery(text);
    const [b] = await createLexicalEmbedder().embedDocuments([text]);
    expect(b).toEqual(a);
    // Pinned: if this changes, the vectors already stored no longer match new queries. Change the scheme only with a
    // new LEXICAL_EMBEDDER_VERSION, which makes retrieval ignore (and re-indexing replace) the old vectors.
    const fingerprint = createHash('sha256')
      .update(a.map((x) => x.toFixed(6)).join(','))
      .digest('hex');
    expect(fingerprint).toBe('364a96bf350812fd495d5b06d83afd44059e681e623c549e678bcf140bb3c00f');
  });

  it('returns unit vectors, and the zero vector for text without content words', async () => {
    const [v, empty, stop] = await embedder.embedDocuments(['Specialty coffee for every morning', '', 'the and of it']);
    expect(v).toHaveLength(512);
    expect(norm(v)).toBeCloseTo(1, 10);
    expect(norm(empty)).toBe(0);
    expect(norm(stop)).toBe(0);
  });

  it('scores similar texts higher than unrelated ones', async () => {
    const passage = 'Lumen roasts single-origin coffee in Milan and sells it to cafés across northern Italy.';
    const related = await sim('where do we roast our coffee beans', passage);
    const paraphrase = await sim('Our Milan roastery sells single origin coffees to cafes', passage);
    const unrelated = await sim('quarterly payroll tax filing deadlines', passage);
    expect(paraphrase).toBeGreaterThan(0.3);
    expect(related).toBeGreaterThan(0.2);
    expect(related).toBeGreaterThan(unrelated + 0.15);
    expect(Math.abs(unrelated)).toBeLessThan(embedder.relevanceFloor);
  });

  it('matches word forms, accents and case', async () => {
    expect(await sim('BREWING guides', 'brew guide')).toBeGreaterThan(0.3);
    expect(await sim('caffè', 'CAFFE')).toBeCloseTo(1, 10);
    expect(contentTerms("The brand's audiences dell'azienda")).toEqual(['brand', 'audience', 'azienda']);
  });

  it('ranks the right passage first among several', async () => {
    const passages = [
      'Our Instagram audience grew to 12,400 followers; engagement peaks with latte art reels.',
      'Competitors such as Bluebird Roasters undercut our prices by 15% in supermarkets.',
      'The mission of the brand is to make specialty coffee part of every morning routine.',
      'Shipping is free above 40 euros and returns are accepted within 30 days.',
    ];
    const vectors = await embedder.embedDocuments(passages);
    const best = async (q: string) => {
      const qv = await embedder.embedQuery(q);
      const scores = vectors.map((v) => cosineSimilarity(qv, v));
      return scores.indexOf(Math.max(...scores));
    };
    expect(await best('instagram followers and engagement')).toBe(0);
    expect(await best('competitor pricing')).toBe(1);
    expect(await best('brand mission')).toBe(2);
    expect(await best('free shipping and returns policy')).toBe(3);
  });

  it('keeps unrelated texts below its relevance floor', () => {
    const unrelated = [
      'Quarterly payroll tax filings are due on the last day of the month following the quarter.',
      'The quantum chromodynamics lattice simulation converged after forty thousand GPU hours.',
      'Football season tickets go on sale in August at the stadium box office.',
      'Knitting patterns for beginners: start with a simple garter stitch scarf.',
      'The volcano erupted overnight, covering the village in grey ash and pumice.',
      'Children learn multiplication tables faster when practising with songs and games.',
      'The orchestra rehearsed the fifth symphony under a guest conductor.',
    ].map((t) => lexicalVector(t));
    const scores = unrelated.flatMap((a, i) => unrelated.slice(i + 1).map((b) => cosineSimilarity(a, b)));
    const rms = Math.sqrt(scores.reduce((s, x) => s + x * x, 0) / scores.length);
    expect(rms).toBeLessThan(0.07);
    expect(scores.filter((s) => s > createLexicalEmbedder().relevanceFloor).length).toBeLessThanOrEqual(1);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(embedder.embedDocuments(['a'], { signal: controller.signal })).rejects.toThrow('cancelled');
  });
});

describe('vector helpers', () => {
  it('normalises and compares', () => {
    expect(l2Normalize([3, 4])).toEqual([0.6, 0.8]);
    expect(l2Normalize([0, 0])).toEqual([0, 0]);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 1], [2, 2])).toBeCloseTo(1, 12);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/dimension/);
  });
});

/** A local OpenAI-compatible `/v1/embeddings` endpoint with scripted failures and a request log. */
async function startEmbeddingsServer(dimensions: number) {
  const requests: { headers: IncomingHttpHeaders; body: any }[] = [];
  const failures: { status: number; body: unknown; headers?: Record<string, string> }[] = [];
  let delayMs = 0;
  let size = dimensions;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({ headers: req.headers, body });
      const timer = setTimeout(() => {
        timers.delete(timer);
        const failure = failures.shift();
        if (failure) {
          res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
          return res.end(JSON.stringify(failure.body));
        }
        if (req.url !== '/v1/embeddings') {
          res.writeHead(404, { 'content-type': 'application/json' });
          return res.end('{}');
        }
        const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
        // Deliberately unnormalised vectors, as some local servers return.
        const data = inputs.map((text, index) => {
          const values = Array.from({ length: size }, (_, i) => ((text.length + i) % 7) + 1);
          // The OpenAI SDK asks for base64 (little-endian float32) unless told otherwise; honour both formats.
          const embedding =
            body.encoding_format === 'base64'
              ? Buffer.from(new Float32Array(values).buffer).toString('base64')
              : values;
          return { object: 'embedding', index, embedding };
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 3, total_tokens: 3 } }),
        );
      }, delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    fail: (status: number, body: unknown, headers?: Record<string, string>) => failures.push({ status, body, headers }),
    setDelay: (ms: number) => (delayMs = ms),
    /** Drops what a test left behind: a cancelled test's delayed answer must not take the next test's failure. */
    reset: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      requests.length = 0;
      failures.length = 0;
    },
    setSize: (n: number) => (size = n),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('OpenAI-compatible embedder', () => {
  let server: Awaited<ReturnType<typeof startEmbeddingsServer>>;
  beforeAll(async () => {
    server = await startEmbeddingsServer(8);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.setDelay(0);
    server.setSize(8);
  });

  const embedder = () =>
    createOpenAiEmbedder({
      baseUrl: server.baseUrl,
      apiKey: 'sk-test',
      model: 'text-embedding-3-small',
      dimensions: 8,
      timeoutMs: 2000,
    });

  it('sends the model, the inputs and the size, and returns unit vectors', async () => {
    const e = embedder();
    expect(e).toMatchObject({ name: 'openai', id: 'openai:text-embedding-3-small:8', dimensions: 8 });
    const vectors = await e.embedDocuments(['first passage\n\nwith a paragraph', 'second']);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 10);
    const request = server.requests[0];
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toMatchObject({
      model: 'text-embedding-3-small',
      input: ['first passage\n\nwith a paragraph', 'second'],
      dimensions: 8,
    });
    expect(await e.embedQuery('q')).toHaveLength(8);
  });

  it('refuses vectors of another size as a misconfiguration', async () => {
    server.setSize(5);
    const err = await embedder()
      .embedQuery('q')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('ProviderMisconfigured');
  });

  it('maps failures to the house taxonomy and leaves retries to Temporal', async () => {
    server.fail(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    const auth = (await embedder()
      .embedQuery('q')
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(auth.type).toBe('ProviderAuth');
    expect(auth.nonRetryable).toBe(true);
    expect(server.requests).toHaveLength(1);

    server.fail(
      429,
      { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
      { 'retry-after': '7' },
    );
    const limited = (await embedder()
      .embedQuery('q')
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(limited.type).toBe('RateLimited');
    expect(limited.nonRetryable).toBe(false);
    expect(limited.nextRetryDelay).toBeDefined();
    expect(server.requests).toHaveLength(2);

    server.fail(503, { error: { message: 'overloaded' } });
    const down = (await embedder()
      .embedDocuments(['a'])
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(down.type).toBe('ProviderUnavailable');
    expect(server.requests).toHaveLength(3);
  });

  it('stops waiting when cancelled', async () => {
    server.setDelay(1500);
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await expect(embedder().embedQuery('q', { signal: controller.signal })).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('needs a size for models it does not know, and checks the endpoint', async () => {
    expect(() => createOpenAiEmbedder({ baseUrl: server.baseUrl, model: 'nomic-embed-text', timeoutMs: 1000 })).toThrow(
      /dimensions/,
    );
    server.fail(200, { object: 'list', data: [] });
    await expect(embedder().check()).resolves.toBeUndefined();
    server.fail(401, { error: { message: 'bad key' } });
    await expect(embedder().check()).rejects.toMatchObject({ type: 'ProviderAuth' });
  });

  it('is built by the registry from configuration', () => {
    expect(createEmbedderFromConfig({}).id).toMatch(/^lexical:/);
    expect(
      createEmbedderFromConfig({
        embeddings: 'openai',
        openai: { baseUrl: server.baseUrl, model: 'text-embedding-3-large', timeoutMs: 1000 },
      }).id,
    ).toBe('openai:text-embedding-3-large:3072');
    expect(() => createEmbedderFromConfig({ embeddings: 'openai' })).toThrow(/settings/);
    expect(() => createEmbedderFromConfig({ embeddings: 'word2vec' as never })).toThrow(/Unknown embedding provider/);
  });
});
