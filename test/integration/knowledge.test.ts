/**
 * The knowledge base against the run's real PostgreSQL (migrated by the global setup, 0002 included): documents go in
 * through the intake, the activities run in `MockActivityEnvironment`, and retrieval ranks the right passage first.
 * Each test workspace is this file's own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, CancelledFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createKnowledgeIntake } from '../../api/services/knowledge-intake';
import {
  createKnowledgeActivities,
  type IndexDocumentResult,
  type KnowledgeActivities,
  type RetrievePassagesResult,
} from '../../activities/knowledge/knowledge.activities';
import { createLexicalEmbedder } from '../../activities/knowledge/lexical-embedder';
import { createPineconeVectorStore } from '../../activities/knowledge/pinecone-vector-store';
import { createPostgresVectorStore } from '../../activities/knowledge/postgres-vector-store';
import { createLocalFileStorage, type FileStorage } from '../../activities/storage';
import { connectDatabase, KnowledgeChunk, KnowledgeDocument, Workspace, type Database } from '../../db';
import { createBrandRepository, type BrandRecord } from '../../db/repositories/brand.repository';
import {
  createKnowledgeRepository,
  type KnowledgeDocumentRecord,
  type KnowledgeRepository,
} from '../../db/repositories/knowledge.repository';
import { startFakePineconeServer, type FakePineconeServer } from '../fakes/pinecone-server';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest (globalSetup starts PostgreSQL)`);
  return value;
}

/** A one-page PDF with Helvetica text runs ([x, y, size, text]); offsets in the xref table are exact. */
function makePdf(runs: [number, number, number, string][]): Buffer {
  const content = runs.map(([x, y, size, text]) => `BT /F1 ${size} Tf ${x} ${y} Td (${text}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const BRAND_BOOK = `---
title: Lumen brand book
---
# Our story

Lumen roasts single-origin coffee in a small roastery in Milan. The founders, two baristas, started in 2012 with
beans from Huila in Colombia and still cup every batch by hand.

# Target audience

Our customers are young urban professionals between 25 and 40 who brew specialty coffee at home. The core persona,
"Giulia", owns a grinder, follows baristas online and buys a bag every two weeks.

# Voice

Warm, expert and a little playful; never snobbish about coffee.`;

const MARKET_PAGE = `<html><head><title>Market notes</title><script>var tracking = "competitors";</script></head><body>
<nav><a href="/">Home</a> <a href="/competitors">Competitors</a></nav>
<h1>Market and competitors</h1>
<p>Bluebird Roasters and Caffè Nero undercut our prices by about 15% in supermarkets across Lombardy.</p>
<p>Specialty coffee sales in Italy grow 8% a year, driven by home brewing equipment.</p>
<footer>Internal document</footer></body></html>`;

const CHANNELS_TEXT = `Channels and content

Instagram is our main channel with 12,400 followers; latte art reels get the most engagement.
A monthly newsletter reaches 3,100 subscribers and links to the web shop.

Packaging

Bags are compostable kraft paper with a one-way valve.`;

const PERFORMANCE_PDF = makePdf([
  [72, 720, 18, 'Performance 2024'],
  [72, 690, 11, 'Monthly revenue grew 22% while the engagement rate on posts reached 4.8%.'],
  [72, 676, 11, 'Conversion from newsletter clicks to orders is 3.2%.'],
]);

const DIMENSIONS = [
  { dimension: 'identity', query: 'brand story origin founders roastery' },
  { dimension: 'target', query: 'target audience customer persona' },
  { dimension: 'market', query: 'competitors prices market' },
  { dimension: 'channels', query: 'instagram followers newsletter channels' },
  { dimension: 'performance', query: 'revenue growth and engagement rate' },
];

let db: Database;
let storage: FileStorage;
let repo: KnowledgeRepository;
let brands: ReturnType<typeof createBrandRepository>;
let acts: KnowledgeActivities;
let intake: ReturnType<typeof createKnowledgeIntake>;
let workspaceA: string;
let workspaceB: string;
let brand: BrandRecord;
const docs: Record<string, KnowledgeDocumentRecord> = {};

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const environment = () => new MockActivityEnvironment(undefined, { logger: quiet });
const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  environment().run(fn, ...args);
const ref = (doc: KnowledgeDocumentRecord) => ({
  workspaceId: doc.workspaceId,
  brandId: doc.brandId,
  documentId: doc.id,
});
const newBrand = (workspaceId: string, name: string) =>
  brands.create(workspaceId, {
    name,
    slogan: null,
    mission: null,
    vision: null,
    category: 'Food & beverage',
    voice: null,
    website: null,
    keywords: ['coffee'],
    colors: { primary: '#2d1b69', secondary: '#f59e0b' },
    fontFamily: null,
    logoKey: null,
  });
const upload = async (workspaceId: string, brandId: string, fileName: string, data: string | Buffer) => {
  const doc = await intake.upload(workspaceId, { brandId, fileName, data: Buffer.from(data) });
  if (!doc) throw new Error('brand not found');
  return doc;
};
const retrieve = (workspaceId: string, brandId: string, extra: { topK?: number } = {}) =>
  run(acts.retrievePassages, { workspaceId, brandId, queries: DIMENSIONS, topK: extra.topK ?? 3 });
const top = (result: RetrievePassagesResult, dimension: string) => result.byDimension[dimension]?.[0];

beforeAll(async () => {
  db = connectDatabase(required('STUDIOFLOW_TEST_DATABASE_URL'), { poolMax: 5 });
  const root = fs.mkdtempSync(path.join(required('STUDIOFLOW_TEST_WORK_DIR'), 'knowledge-'));
  storage = createLocalFileStorage({ rootDir: root, publicBaseUrl: 'http://127.0.0.1:1' });
  repo = createKnowledgeRepository(db);
  brands = createBrandRepository(db);
  intake = createKnowledgeIntake({ storage, repo });
  acts = createKnowledgeActivities({
    storage,
    repo,
    embedder: createLexicalEmbedder(),
    store: createPostgresVectorStore(repo),
    chunking: { targetTokens: 120 },
  });
  workspaceA = (await Workspace.create({ name: 'knowledge A' })).id;
  workspaceB = (await Workspace.create({ name: 'knowledge B' })).id;
  brand = await newBrand(workspaceA, 'Lumen Coffee');
  docs.book = await upload(workspaceA, brand.id, 'brand-book.md', BRAND_BOOK);
  docs.market = await upload(workspaceA, brand.id, 'market.html', MARKET_PAGE);
  docs.channels = await upload(workspaceA, brand.id, 'channels.txt', CHANNELS_TEXT);
  docs.performance = await upload(workspaceA, brand.id, 'performance.pdf', PERFORMANCE_PDF);
});

afterAll(async () => {
  await Workspace.destroy({ where: { id: [workspaceA, workspaceB].filter(Boolean) } });
  await db?.close();
});

describe('indexing', () => {
  it('indexes text, Markdown, HTML and PDF documents, heartbeating as it embeds', async () => {
    for (const doc of Object.values(docs)) {
      expect(doc.status).toBe('pending');
      const env = environment();
      const beats: unknown[] = [];
      env.on('heartbeat', (d: unknown) => beats.push(d));
      const result: IndexDocumentResult = await env.run(acts.indexDocument, ref(doc));
      expect(result).toMatchObject({ documentId: doc.id, embedder: 'lexical:hashed-ngrams-v1:512', store: 'postgres' });
      expect(result.chunkCount).toBeGreaterThan(0);
      expect(beats).toContainEqual(expect.objectContaining({ stage: 'embed', embedded: result.chunkCount }));
      const stored = await repo.getDocument(workspaceA, doc.id);
      expect(stored).toMatchObject({ status: 'indexed', chunkCount: result.chunkCount, error: null });
      expect(await repo.countChunks(workspaceA, { documentId: doc.id })).toBe(result.chunkCount);
    }
    const chunks = await repo.listChunks(workspaceA, docs.book.id);
    expect(chunks.map((c) => c.heading)).toEqual(['Our story', 'Target audience', 'Voice']);
    expect((await repo.listChunks(workspaceA, docs.performance.id))[0]).toMatchObject({ heading: 'Performance 2024' });
    const market = await repo.listChunks(workspaceA, docs.market.id);
    expect(market.map((c) => c.text).join(' ')).not.toMatch(/tracking|Home|Internal document/);
  });

  it('retrieves the right passage first for each dimension, with its title and heading', async () => {
    const result = await retrieve(workspaceA, brand.id);
    expect(result).toMatchObject({
      embedder: 'lexical:hashed-ngrams-v1:512',
      store: 'postgres',
      documentsSearched: 4,
      documentsNotSearchable: 0,
    });
    expect(result.results.map((r) => r.dimension)).toEqual(DIMENSIONS.map((d) => d.dimension));
    expect(top(result, 'identity')).toMatchObject({
      documentId: docs.book.id,
      title: 'brand-book',
      heading: 'Our story',
    });
    expect(top(result, 'target')).toMatchObject({ documentId: docs.book.id, heading: 'Target audience' });
    expect(top(result, 'market')).toMatchObject({ documentId: docs.market.id, heading: 'Market and competitors' });
    expect(top(result, 'channels')).toMatchObject({ documentId: docs.channels.id, heading: 'Channels and content' });
    expect(top(result, 'performance')).toMatchObject({
      documentId: docs.performance.id,
      heading: 'Performance 2024',
    });
    expect(top(result, 'performance')!.text).toContain('engagement rate on posts reached 4.8%');
    for (const r of result.results) {
      const scores = r.passages.map((p) => p.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const s of scores) expect(s).toBeGreaterThan(0.11);
    }
  });

  it('re-indexing replaces the chunks in one go: same count, new rows, concurrent runs included', async () => {
    const before = await repo.listChunks(workspaceA, docs.book.id);
    await Promise.all([run(acts.indexDocument, ref(docs.book)), run(acts.indexDocument, ref(docs.book))]);
    const after = await repo.listChunks(workspaceA, docs.book.id);
    expect(after).toHaveLength(before.length);
    expect(after.map((c) => c.text)).toEqual(before.map((c) => c.text));
    expect(after.map((c) => c.id).filter((id) => before.some((b) => b.id === id))).toEqual([]);
    expect(await repo.countChunks(workspaceA, { brandId: brand.id })).toBe(
      (await Promise.all(Object.values(docs).map((d) => repo.getDocument(workspaceA, d.id)))).reduce(
        (n, d) => n + d!.chunkCount,
        0,
      ),
    );
    expect(top(await retrieve(workspaceA, brand.id), 'target')).toMatchObject({ heading: 'Target audience' });
  });

  it('ranks in SQL exactly as a dot product computed here would', async () => {
    // A dense query vector exercises the general path (lexical queries only touch a few dozen dimensions).
    const vector = Array.from({ length: 512 }, (_, i) => Math.sin(i * 12.9898) / 16);
    const [matches] = await repo.searchChunks({
      workspaceId: workspaceA,
      brandId: brand.id,
      embeddingProvider: 'lexical:hashed-ngrams-v1:512',
      vectors: [vector],
      topK: 4,
    });
    const rows = await KnowledgeChunk.findAll({ where: { workspaceId: workspaceA, brandId: brand.id } });
    const expected = rows
      .map((r) => ({ id: r.id, score: r.embedding.reduce((s, x, i) => s + x * vector[i], 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 4);
    expect(matches.map((m) => m.id)).toEqual(expected.map((e) => e.id));
    matches.forEach((m, i) => expect(m.score).toBeCloseTo(expected[i].score, 5));
  });

  it('marks a document it cannot read as failed, with the reason, and does not retry it', async () => {
    const broken = await upload(workspaceA, brand.id, 'broken.pdf', '%PDF-1.4\nnot really a pdf\n');
    const err = await run(acts.indexDocument, ref(broken)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(await repo.getDocument(workspaceA, broken.id)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('cannot be read'),
      chunkCount: 0,
    });
    const result = await retrieve(workspaceA, brand.id);
    expect(result.documentsNotSearchable).toBe(1);
    await run(acts.deleteKnowledgeDocument, ref(broken));
  });

  it('stops when cancelled, without marking the document failed', async () => {
    const big = await upload(workspaceA, brand.id, 'big.txt', 'Coffee roasting notes and more. '.repeat(20_000));
    const env = environment();
    const running = env.run(acts.indexDocument, ref(big));
    env.cancel();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(await repo.getDocument(workspaceA, big.id)).toMatchObject({ status: 'pending', chunkCount: 0 });
    await run(acts.deleteKnowledgeDocument, ref(big));
  });

  it('searches only documents embedded by the current embedder', async () => {
    const other = createKnowledgeActivities({
      storage,
      repo,
      embedder: createLexicalEmbedder({ dimensions: 256 }),
      store: createPostgresVectorStore(repo),
    });
    const result = await run(other.retrievePassages, {
      workspaceId: workspaceA,
      brandId: brand.id,
      queries: DIMENSIONS,
    });
    expect(result).toMatchObject({ documentsSearched: 0, documentsNotSearchable: 4 });
    for (const r of result.results) expect(r.passages).toEqual([]);
  });

  it('refuses invalid retrieval requests as InvalidInput', async () => {
    const err = await run(acts.retrievePassages, {
      workspaceId: workspaceA,
      brandId: brand.id,
      queries: [],
      topK: 500,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect((err as Error).message).toMatch(/queries/);
  });
});

describe('tenancy and deletion', () => {
  it('another workspace sees nothing of this brand, and cannot index or delete its documents', async () => {
    const foreign = await retrieve(workspaceB, brand.id);
    expect(foreign).toMatchObject({ documentsSearched: 0 });
    for (const r of foreign.results) expect(r.passages).toEqual([]);

    const notFound = await run(acts.indexDocument, { ...ref(docs.market), workspaceId: workspaceB }).catch(
      (e: unknown) => e,
    );
    expect(notFound).toMatchObject({ type: 'NotFound', nonRetryable: true });
    expect(await run(acts.deleteKnowledgeDocument, { ...ref(docs.market), workspaceId: workspaceB })).toEqual({
      documentId: docs.market.id,
      deleted: false,
    });
    expect(await repo.countChunks(workspaceA, { documentId: docs.market.id })).toBeGreaterThan(0);
    expect(
      await intake.upload(workspaceB, { brandId: brand.id, fileName: 'x.txt', data: Buffer.from('x') }),
    ).toBeNull();
  });

  it("another workspace's brand retrieves only its own documents", async () => {
    const rival = await newBrand(workspaceB, 'Bluebird Roasters');
    const doc = await upload(workspaceB, rival.id, 'notes.md', '# Competitors\n\nLumen charges premium prices.');
    await run(acts.indexDocument, ref(doc));
    const result = await retrieve(workspaceB, rival.id);
    expect(result.documentsSearched).toBe(1);
    const ids = new Set(result.results.flatMap((r) => r.passages.map((p) => p.documentId)));
    expect([...ids]).toEqual([doc.id]);
    const mine = await retrieve(workspaceA, brand.id);
    expect(mine.results.flatMap((r) => r.passages).some((p) => p.documentId === doc.id)).toBe(false);
  });

  it('deleting a document removes its chunks, its file and its row, and is idempotent', async () => {
    const doc = docs.book;
    expect(await storage.exists(doc.fileKey)).toBe(true);
    expect(await run(acts.deleteKnowledgeDocument, ref(doc))).toEqual({ documentId: doc.id, deleted: true });
    expect(await repo.getDocument(workspaceA, doc.id)).toBeNull();
    expect(await KnowledgeChunk.count({ where: { documentId: doc.id } })).toBe(0);
    expect(await storage.exists(doc.fileKey)).toBe(false);
    const result = await retrieve(workspaceA, brand.id);
    expect(result.results.flatMap((r) => r.passages).some((p) => p.documentId === doc.id)).toBe(false);
    expect(result.documentsSearched).toBe(3);
    expect(await run(acts.deleteKnowledgeDocument, ref(doc))).toEqual({ documentId: doc.id, deleted: false });
  });

  it('deleting a brand cascades to its documents and chunks', async () => {
    const temp = await newBrand(workspaceA, 'Short-lived brand');
    const doc = await upload(workspaceA, temp.id, 'about.txt', 'About us\n\nWe sell tea in Turin.');
    await run(acts.indexDocument, ref(doc));
    expect(await KnowledgeChunk.count({ where: { brandId: temp.id } })).toBeGreaterThan(0);
    await brands.remove(workspaceA, temp.id);
    expect(await KnowledgeDocument.count({ where: { brandId: temp.id } })).toBe(0);
    expect(await KnowledgeChunk.count({ where: { brandId: temp.id } })).toBe(0);
  });
});

describe('with Pinecone as the vector store', () => {
  let fake: FakePineconeServer;
  let pineconeActs: KnowledgeActivities;
  beforeAll(async () => {
    fake = await startFakePineconeServer({ dimension: 512 });
    pineconeActs = createKnowledgeActivities({
      storage,
      repo,
      embedder: createLexicalEmbedder(),
      store: createPineconeVectorStore({ apiKey: fake.apiKey, indexName: fake.indexName, controllerHostUrl: fake.url }),
      chunking: { targetTokens: 120 },
    });
  });
  afterAll(() => fake?.close());

  it('indexes into the workspace namespace, retrieves with titles from PostgreSQL, and deletes', async () => {
    const pcBrand = await newBrand(workspaceA, 'Pinecone brand');
    const doc = await upload(workspaceA, pcBrand.id, 'book.md', BRAND_BOOK);
    const indexed = await run(pineconeActs.indexDocument, ref(doc));
    expect(indexed).toMatchObject({ store: 'pinecone', chunkCount: 3 });
    expect(fake.records(`ws-${workspaceA}`)).toHaveLength(3);
    expect(await repo.countChunks(workspaceA, { documentId: doc.id })).toBe(0);
    expect(await repo.getDocument(workspaceA, doc.id)).toMatchObject({ status: 'indexed', chunkCount: 3 });

    const result = await run(pineconeActs.retrievePassages, {
      workspaceId: workspaceA,
      brandId: pcBrand.id,
      queries: DIMENSIONS.slice(0, 2),
    });
    expect(result.store).toBe('pinecone');
    expect(top(result, 'target')).toMatchObject({ documentId: doc.id, title: 'book', heading: 'Target audience' });
    expect(top(result, 'identity')).toMatchObject({ heading: 'Our story' });

    expect(await run(pineconeActs.deleteKnowledgeDocument, ref(doc))).toMatchObject({ deleted: true });
    expect(fake.records(`ws-${workspaceA}`)).toHaveLength(0);
  });
});

describe('latency', () => {
  it('retrieves 5 dimensions over ~2,000 chunks of one brand (measured, not asserted)', async () => {
    const big = await newBrand(workspaceA, 'Big knowledge base');
    const vocabulary = (
      'brand coffee roast market audience customer loyalty price premium organic instagram engagement video ' +
      'campaign competitor growth retail store online subscription origin flavour bean espresso barista morning ' +
      'community sustainability packaging design logo colour story mission vision value trust quality service ' +
      'delivery review rating followers reach conversion funnel newsletter email season holiday launch product ' +
      'wholesale cafe partner event workshop tasting grinder kettle filter milk oat latte cappuccino harvest farm'
    ).split(' ');
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const paragraph = () =>
      `${Array.from({ length: 200 }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' ')}.`;
    const bulk = createKnowledgeActivities({
      storage,
      repo,
      embedder: createLexicalEmbedder(),
      store: createPostgresVectorStore(repo),
    });

    const indexStarted = performance.now();
    for (let d = 0; d < 20; d++) {
      const doc = await upload(workspaceA, big.id, `doc-${d}.txt`, Array.from({ length: 100 }, paragraph).join('\n\n'));
      await run(bulk.indexDocument, ref(doc));
    }
    const indexMs = performance.now() - indexStarted;
    const chunks = await repo.countChunks(workspaceA, { brandId: big.id });
    expect(chunks).toBeGreaterThanOrEqual(1900);

    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const result = await run(bulk.retrievePassages, {
        workspaceId: workspaceA,
        brandId: big.id,
        queries: DIMENSIONS,
        topK: 5,
      });
      timings.push(performance.now() - started);
      expect(result.results.every((r) => r.passages.length === 5)).toBe(true);
    }
    timings.sort((a, b) => a - b);
    console.log(
      `knowledge latency: ${chunks} chunks indexed in ${Math.round(indexMs)} ms; retrievePassages (5 queries, topK 5) ` +
        `median ${timings[2].toFixed(1)} ms, min ${timings[0].toFixed(1)} ms, max ${timings[4].toFixed(1)} ms`,
    );
  });
});
