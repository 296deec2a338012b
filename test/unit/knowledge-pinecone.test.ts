/**
 * The Pinecone vector store through the real `@pinecone-database/pinecone` SDK, pointed at a local server that speaks
 * Pinecone's REST shapes (test/fakes/pinecone-server.ts).
 */
import { ApplicationFailure } from '@temporalio/common';
import { lexicalVector } from '../../activities/knowledge/lexical-embedder';
import { createPineconeVectorStore } from '../../activities/knowledge/pinecone-vector-store';
import { createVectorStoreFromConfig } from '../../activities/knowledge/providers';
import type { StoredChunk } from '../../activities/knowledge/vector-store.port';
import type { KnowledgeRepository } from '../../db/repositories/knowledge.repository';
import { startFakePineconeServer, type FakePineconeServer } from '../fakes/pinecone-server';

const EMBEDDER = 'lexical:hashed-ngrams-v1:512';
const chunk = (ordinal: number, text: string, heading: string | null = null): StoredChunk => ({
  ordinal,
  heading,
  text,
  tokenCount: text.split(' ').length,
  vector: lexicalVector(text),
});

let fake: FakePineconeServer;
beforeAll(async () => {
  fake = await startFakePineconeServer({ dimension: 512 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const doc = { workspaceId: 'ws-a', brandId: 'brand-1', documentId: 'doc-1' };

describe.each([
  ['the index host', () => ({ indexHost: fake.url })],
  [
    'the index name, resolved through the control plane',
    () => ({ indexName: fake.indexName, controllerHostUrl: fake.url }),
  ],
])('Pinecone vector store addressed by %s', (_label, target) => {
  const store = () => createPineconeVectorStore({ apiKey: fake.apiKey, ...target(), namespacePrefix: 't-' });

  afterEach(async () => {
    await store().deleteDocument(doc);
    await store().deleteDocument({ ...doc, documentId: 'doc-2' });
    await store().deleteDocument({ ...doc, workspaceId: 'ws-b', documentId: 'doc-9' });
  });

  it('upserts passages with their metadata into the workspace namespace', async () => {
    await store().replaceDocument(
      doc,
      [chunk(0, 'Lumen roasts coffee in Milan', 'Story'), chunk(1, 'Instagram audience of young professionals')],
      EMBEDDER,
    );
    expect(fake.records('t-ws-a').map((r) => r.id)).toEqual(['doc-1#0', 'doc-1#1']);
    expect(fake.records('t-ws-a')[0].metadata).toEqual({
      brandId: 'brand-1',
      documentId: 'doc-1',
      ordinal: 0,
      heading: 'Story',
      text: 'Lumen roasts coffee in Milan',
      tokenCount: 5,
      embedder: EMBEDDER,
    });
    const upsert = fake.requests.find((r) => r.path === '/vectors/upsert')!;
    expect(upsert.headers['api-key']).toBe(fake.apiKey);
    expect(upsert.body.namespace).toBe('t-ws-a');
  });

  it('re-indexing replaces: same ids are overwritten, ids past the new end are deleted', async () => {
    await store().replaceDocument(doc, [chunk(0, 'one'), chunk(1, 'two'), chunk(2, 'three')], EMBEDDER);
    await store().replaceDocument({ ...doc, documentId: 'doc-2' }, [chunk(0, 'other document')], EMBEDDER);
    await store().replaceDocument(doc, [chunk(0, 'uno'), chunk(1, 'due')], EMBEDDER);
    expect(fake.records('t-ws-a').map((r) => `${r.id}=${String(r.metadata?.text)}`)).toEqual([
      'doc-1#0=uno',
      'doc-1#1=due',
      'doc-2#0=other document',
    ]);
  });

  it('searches within the brand and the embedder, best first, one list per query', async () => {
    await store().replaceDocument(
      doc,
      [
        chunk(0, 'Lumen roasts single origin coffee in Milan'),
        chunk(1, 'Our Instagram audience loves latte art reels', 'Channels'),
      ],
      EMBEDDER,
    );
    await store().replaceDocument(
      { ...doc, brandId: 'brand-2', documentId: 'doc-2' },
      [chunk(0, 'Instagram audience of another brand')],
      EMBEDDER,
    );
    await store().replaceDocument({ ...doc, documentId: 'doc-3' }, [chunk(0, 'Instagram audience')], 'openai:x:512');
    const [social, roasting] = await store().search({
      workspaceId: 'ws-a',
      brandId: 'brand-1',
      embedderId: EMBEDDER,
      vectors: [lexicalVector('instagram audience'), lexicalVector('where is the coffee roasted')],
      topK: 5,
    });
    expect(social.map((m) => `${m.documentId}#${m.ordinal}`)).toEqual(['doc-1#1', 'doc-1#0']);
    expect(social[0]).toMatchObject({ heading: 'Channels', text: 'Our Instagram audience loves latte art reels' });
    expect(social[0].score).toBeGreaterThan(0.3);
    expect(roasting[0]).toMatchObject({ documentId: 'doc-1', ordinal: 0, heading: null });
    const query = fake.requests.find((r) => r.path === '/query')!;
    expect(query.body).toMatchObject({
      namespace: 't-ws-a',
      topK: 5,
      includeMetadata: true,
      filter: { brandId: { $eq: 'brand-1' }, embedder: { $eq: EMBEDDER } },
    });
    await store().deleteDocument({ ...doc, brandId: 'brand-2', documentId: 'doc-2' });
    await store().deleteDocument({ ...doc, documentId: 'doc-3' });
  });

  it('keeps workspaces apart', async () => {
    await store().replaceDocument(
      { ...doc, workspaceId: 'ws-b', documentId: 'doc-9' },
      [chunk(0, 'secret roadmap')],
      EMBEDDER,
    );
    const [matches] = await store().search({
      workspaceId: 'ws-a',
      brandId: 'brand-1',
      embedderId: EMBEDDER,
      vectors: [lexicalVector('secret roadmap')],
      topK: 3,
    });
    expect(matches).toEqual([]);
    expect(fake.records('t-ws-b')).toHaveLength(1);
  });

  it('deletes every record of a document, page by page, and is idempotent', async () => {
    const many = Array.from({ length: 230 }, (_, i) => chunk(i, `passage ${i}`));
    await store().replaceDocument(doc, many, EMBEDDER);
    expect(fake.records('t-ws-a')).toHaveLength(230);
    await store().deleteDocument(doc);
    expect(fake.records('t-ws-a')).toHaveLength(0);
    expect(fake.requests.filter((r) => r.path === '/vectors/upsert')).toHaveLength(3);
    expect(fake.requests.filter((r) => r.path === '/vectors/list').length).toBeGreaterThanOrEqual(3);
    await expect(store().deleteDocument(doc)).resolves.toBeUndefined();
  });

  it('checks connectivity', async () => {
    await expect(store().check()).resolves.toBeUndefined();
  });
});

describe('Pinecone failures', () => {
  const store = (apiKey = fake.apiKey) => createPineconeVectorStore({ apiKey, indexHost: fake.url });

  it('a rejected key is a non-retryable ProviderAuth failure', async () => {
    const err = await store('wrong-key')
      .check()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'ProviderAuth', nonRetryable: true });
  });

  it('a vector of the wrong size is non-retryable InvalidInput', async () => {
    const err = await store()
      .replaceDocument(doc, [{ ...chunk(0, 'x'), vector: [1, 0, 0] }], EMBEDDER)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
  });

  it('a server error is retryable, and the SDK does not retry on its own', async () => {
    fake.failNext(503, 'overloaded');
    const err = await store()
      .search({ workspaceId: 'ws-a', brandId: 'b', embedderId: EMBEDDER, vectors: [lexicalVector('x y')], topK: 1 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
    expect(fake.requests.filter((r) => r.path === '/query')).toHaveLength(1);
  });

  it('an unknown index name is a misconfiguration', async () => {
    const err = await createPineconeVectorStore({ apiKey: fake.apiKey, indexName: 'nope', controllerHostUrl: fake.url })
      .check()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'ProviderMisconfigured', nonRetryable: true });
  });

  it('the registry needs settings for Pinecone and knows the default', () => {
    const repo = {} as KnowledgeRepository;
    expect(createVectorStoreFromConfig({}, repo).name).toBe('postgres');
    expect(
      createVectorStoreFromConfig({ vectorStore: 'pinecone', pinecone: { apiKey: 'k', indexHost: fake.url } }, repo)
        .name,
    ).toBe('pinecone');
    expect(() => createVectorStoreFromConfig({ vectorStore: 'pinecone' }, repo)).toThrow(/settings/);
    expect(() => createPineconeVectorStore({ apiKey: 'k' })).toThrow(/index name or an index host/);
  });
});
