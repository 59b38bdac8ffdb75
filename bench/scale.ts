import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { Classifier } from '../classifiers/verdict.js';
import { tenantFileSchema } from '../config/tenant-schema.js';
import type { NormalizedMessage } from '../connectors/types.js';
import { prepareArchiveCollection } from '../store/archive.js';
import { dbOf, openStore } from '../store/connection.js';
import { startEmbeddedStore, type EmbeddedStore } from '../store/embedded/server.js';
import type { ClassifyPayload } from '../store/messages.js';
import type { Store, StoredIncident } from '../store/port.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { ClassificationCache, classifyBatch } from '../workers/classification.js';
import { newWatchProgress, watchDeadlines } from '../workers/deadline-watch.js';
import { DUE_SOON_WINDOW_MS } from '../workflow/escalation.js';

/**
 * Flat cost per message as the store grows (issue 15): the embedded store filled with
 * 10,000, 100,000 and 500,000 incidents — a constant set of open ones (the work in hand, as
 * in a municipality's ordinary week) and a growing history of closed ones in the monthly
 * archives, each with its message and the repeat log of the last 180 days — and at each size
 * the time of the hot paths, through the store port as the workers use it:
 *   - a staff action (confirm and route: one fenced write, with its history and notices),
 *   - a classification (a fetched batch of 10 messages through the classifier's step),
 *   - a watcher tick (by key) while the terms of the newest incidents come due, and a
 *     watcher sweep (of the open incidents),
 *   - an inbox page (the open «на распределении» queue sorted by the next term, 50 rows),
 *   - a closed incident's card (by number, from its archive month),
 *   - the classifier's start (its repeat index: the newest log chunks at once, the rest behind).
 * The store is restarted before each size, as a deployment would be, and sizes its heap from
 * its data file. Each size works a week after the last (same weekday and hour), so that what
 * its classification creates comes due at its own moments: the watcher's ticks then do the
 * same work at every size. p50 and p95 of each; the ratio to the 10,000 figure.
 *
 *   node --import tsx bench/scale.ts [--sizes 10000,100000,500000] [--open 2000]
 */
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const SIZES = arg('sizes', '10000,100000,500000').split(',').map(Number);
const OPEN = Number(arg('open', '2000'));
const TENANT = 'zarechensk';
const PER_MONTH = 20_000;
const DAY_MS = 86_400_000;
const NOW = new Date('2026-11-24T09:00:00Z');

const TEXTS = [
  'Третий день нет горячей воды в доме, управляющая компания не отвечает',
  'Огромная яма на дороге у остановки, машины объезжают по встречной',
  'Не горят фонари во дворе, вечером очень темно и опасно',
  'Не вывозят мусор, контейнеры переполнены, запах на весь двор',
  'Автобус номер пять не ходит по расписанию, люди опаздывают на работу',
  'Сломаны качели на детской площадке, ребёнок поранился',
  'Течёт крыша над подъездом, заливает квартиры на верхнем этаже',
  'Бродячие собаки у школы нападают на детей',
];
const STREETS = ['Ленина', 'Мира', 'Садовая', 'Гагарина', 'Заводская', 'Победы'];

function rssMb(pid: number): number {
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed(times: number, run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run(i);
    ms.push(performance.now() - started);
  }
  return percentiles(ms);
}

function percentiles(ms: readonly number[]): { p50: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: Math.round(pct(sorted, 50) * 10) / 10, p95: Math.round(pct(sorted, 95) * 10) / 10 };
}

function month(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** A closed incident as the archive holds one after a year of work: published, its story, terms, draft. */
function closedIncident(number: number, detectedAt: Date, messageId: string, text: string): Record<string, unknown> {
  const at = (minutes: number) => new Date(detectedAt.getTime() + minutes * 60_000);
  const history = [['new', 'triage', 0], ['triage', 'assigned', 20], ['assigned', 'draft', 40], ['draft', 'review', 200], ['review', 'approved', 230], ['approved', 'publishing', 231], ['publishing', 'published', 232]] as const;
  return {
    _id: `${TENANT}:${number}`, tenant: TENANT, number, message: messageId, network: 'vk', authorId: `author-${number % 40_000}`,
    archiveMonth: month(detectedAt), state: 'published', stateLabel: 'Опубликовано', revision: history.length,
    verdict: { rejected: false, reason: null, reasonCode: null, evidence: [], topic: { value: 'ЖКХ', confidence: 0.91 }, location: { value: `улица ${STREETS[number % 6]}` }, importance: { value: 'normal', reason: '' }, repeatOf: null, modelVersion: 'bench' },
    topic: 'ЖКХ', location: `улица ${STREETS[number % 6]}`, importance: 'normal', repeatOf: null, departments: ['zhkh'], assignee: 'kuznetsov', departmentIndex: 0,
    drafts: [{ id: `d${number}`, kind: 'answer', text: `Здравствуйте! ${text}: работы выполнены ${at(300).toISOString().slice(0, 10)}.`, attachments: [], author: 'kuznetsov', submittedAt: at(200), findings: [], reviewedBy: 'petrova', reviewedAt: at(230), reviewComment: null, decision: 'approved' }],
    deadlines: ['triage', 'draft', 'review', 'publish', 'answer'].map((step, i) => ({ step, dueAt: at(30 + i * 120), responsible: step === 'draft' ? 'kuznetsov' : null, metAt: at(20 + i * 50), notified: [], conditional: false, clause: '000 [6]' })),
    nextDueAt: null, dueStatus: null, dueStatusLabel: null,
    publication: { attempts: [{ draftId: `d${number}`, channel: 'public', idempotencyKey: `d${number}`, startedAt: at(231), finishedAt: at(232), outcome: 'published', externalId: String(number), error: null }], outcome: 'public', outcomeLabel: 'Опубликован ответ в том же месте', publicInterest: false, manualCheck: null },
    history: history.map(([from, to, m]) => ({ who: 'bench', at: at(m), from, to, why: 'Распределено куратором: тема ЖКХ' })),
    detectedAt, postedAt: detectedAt, rejection: null, appeal: null, createdAt: detectedAt, updatedAt: at(232),
  };
}

function message(id: string, text: string, author: string, createdAt: Date): Record<string, unknown> {
  return {
    _id: `${TENANT}:vk:${id}`, tenant: TENANT, network: 'vk', account: 'vk-main', externalId: id, kind: 'comment',
    place: { containerId: '-218475963', postId: '1377', itemId: id }, author: { id: author, name: 'Житель', anonymous: false },
    text, attachments: [], createdAt, fetchedAt: createdAt, matchedKeywords: ['администрация'], raw: { id, text, from_id: author, date: Math.floor(createdAt.getTime() / 1000) },
  };
}

/** Adds closed incidents (with their messages and, within 180 days, their repeat-log entries) up to `total`. */
const prepared = new Set<string>();

async function grow(store: Store, from: number, to: number, classifier: Classifier): Promise<void> {
  const db = dbOf(store).connection.db!;
  const started = Date.now();
  const firstMonthStart = new Date(NOW.getTime() - Math.ceil(to / PER_MONTH) * 30 * DAY_MS);
  for (let start = from; start < to; start += 1000) {
    const end = Math.min(to, start + 1000);
    const byMonth = new Map<string, Record<string, unknown>[]>();
    const messages: Record<string, unknown>[] = [];
    const filed: Array<{ keys: readonly string[]; entry: unknown }> = [];
    for (let n = start + 1; n <= end; n++) {
      // Numbers given in time order, ~PER_MONTH a month, ending before the open ones.
      const detectedAt = new Date(firstMonthStart.getTime() + (n / PER_MONTH) * 30 * DAY_MS);
      const text = `${TEXTS[n % TEXTS.length]}, улица ${STREETS[n % 6]}, дом ${n % 90}`;
      const id = `hist-${n}`;
      messages.push(message(id, text, `author-${n % 40_000}`, detectedAt));
      const doc = closedIncident(n, detectedAt, `${TENANT}:vk:${id}`, text);
      const list = byMonth.get(doc.archiveMonth as string) ?? [];
      list.push(doc);
      byMonth.set(doc.archiveMonth as string, list);
      if (NOW.getTime() - detectedAt.getTime() < 180 * DAY_MS && n % 5 === 0) {
        const ready = classifier.prepare({ text, author: `author-${n % 40_000}`, at: detectedAt.getTime() });
        filed.push({ keys: ready.repeatKeys, entry: ready.repeatEntry(String(n)) });
      }
    }
    await db.collection('messages').insertMany(messages as never[], { ordered: false });
    for (const [m, docs] of byMonth) {
      // With the unique indexes the live code gives every archive month (a month written
      // without them would be scanned by the classifier's "has this message its incident").
      const name = `incidents.archive.${TENANT}.${m}`;
      if (!prepared.has(name)) {
        await prepareArchiveCollection(dbOf(store), name);
        prepared.add(name);
      }
      await db.collection(name).insertMany(docs as never[], { ordered: false });
      await db.collection('numberMonths').updateOne({ _id: `${TENANT}:${m}` as never }, { $min: { first: (docs[0] as { number: number }).number }, $setOnInsert: { tenant: TENANT, month: m } }, { upsert: true });
    }
    if (filed.length > 0) await store.repeats.append(TENANT, filed, NOW);
    if ((end / 1000) % 50 === 0) process.stdout.write(`  … ${end} incidents (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  await db.collection('counters').updateOne({ _id: `incident:${TENANT}` as never }, { $max: { value: to } }, { upsert: true });
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-bench-scale-'));
  let server: EmbeddedStore = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: null });
  const port = server.port;
  let store = await openStore({ uri: server.uri, dbName: 'scale' });
  await store.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
  const classifier = new Classifier();
  const rows: Array<{ size: number; figures: Record<string, { p50: number; p95: number }>; heapMb: number; storeRss: number; dataMb: number }> = [];
  let have = 0;
  let messageSeq = 0;
  console.log(`bench/scale.ts: sizes ${SIZES.join(', ')}; ${OPEN} open incidents throughout; node ${process.version}; ${os.cpus().length} cores`);
  for (const [sizeIndex, size] of SIZES.entries()) {
    // This size's working moment: a week after the last one's, Tuesday noon in Zarechensk.
    const at = new Date(NOW.getTime() + (sizeIndex + 1) * 7 * DAY_MS);
    const later = (ms: number) => new Date(at.getTime() + ms);
    console.log(`\nfilling to ${size} incidents …`);
    // The history is closed incidents; the open set stays the same size.
    await grow(store, have, size - OPEN, classifier);
    have = size - OPEN;
    // Restart, as a deployment does: the heap is sized from the data file.
    await store.close();
    await server.stop();
    server = await startEmbeddedStore({ host: '127.0.0.1', port, dataDir, heapMb: null });
    store = await openStore({ uri: server.uri, dbName: 'scale' });
    const runtime = await store.tenants.runtime(TENANT);
    // The open set: created once through the classifier's own path, then kept.
    const open = await store.incidents.open({ tenant: TENANT });
    if (open.length < OPEN) {
      const runtimes = new TenantRuntimeCache(store);
      const cache = new ClassificationCache(store);
      for (let i = open.length; i < OPEN; i += 100) {
        const batch: NormalizedMessage[] = Array.from({ length: Math.min(100, OPEN - i) }, (_, k) => ({
          network: 'vk', externalId: `open-${i + k}`, kind: 'comment', place: { containerId: '-218475963', postId: '1377', itemId: `open-${i + k}` },
          author: { id: `resident-${i + k}`, name: 'Житель', anonymous: false }, text: `${TEXTS[(i + k) % TEXTS.length]}, улица ${STREETS[(i + k) % 6]}, дом ${(i + k) % 90}. Администрация, помогите`,
          attachments: [], createdAt: NOW, matchedKeywords: ['администрация'], raw: {},
        }));
        await store.messages.ingest(TENANT, batch, 'vk-main', NOW);
        const items = await store.work.claim<ClassifyPayload>('classify', 'bench', new Date(NOW.getTime() + 1000), 60_000, 10);
        await classifyBatch(store, runtimes, cache, items, NOW);
        await store.work.complete('classify', items);
      }
    }
    const db = dbOf(store).connection.db!;
    const dataMb = Math.round(fs.statSync(server.dataFile).size / 1024 / 1024);
    console.log(`measuring at ${size} incidents (data file ${dataMb} MiB, heap ${server.heap.heapMb} MiB) …`);
    const figures: Record<string, { p50: number; p95: number }> = {};

    // The classifier's start: a new process's index — the newest log chunks before the first batch.
    const startCache = new ClassificationCache(store);
    const startAt = performance.now();
    const first = await startCache.get(TENANT, NOW.getTime());
    const ready = performance.now() - startAt;
    await first.repeats.loaded();
    const full = performance.now() - startAt;
    figures['classifier start (first batch possible)'] = { p50: Math.round(ready), p95: Math.round(ready) };
    figures['  repeat index complete (background)'] = { p50: Math.round(full), p95: Math.round(full) };

    // A classification: a fetched batch of 10 messages, stored and classified.
    const runtimes = new TenantRuntimeCache(store);
    const cache = new ClassificationCache(store);
    // Timed once its repeat index is complete: while it still loads in the background (the
    // start is timed above), the first batches share the process with that load.
    await (await cache.get(TENANT, at.getTime())).repeats.loaded();
    // Thirty batches half a minute apart: their incidents come due half a minute apart too.
    const created: StoredIncident[] = [];
    figures['classification (batch of 10)'] = await timed(30, async (j) => {
      const batchAt = later(j * 30_000);
      const batch: NormalizedMessage[] = Array.from({ length: 10 }, (_, k) => {
        const seq = messageSeq++;
        return {
          network: 'vk', externalId: `new-${size}-${seq}`, kind: 'comment', place: { containerId: '-218475963', postId: '1377', itemId: `new-${seq}` },
          author: { id: `newcomer-${seq}`, name: 'Житель', anonymous: false }, text: `${TEXTS[seq % TEXTS.length]}, улица ${STREETS[(seq + k) % 6]}, дом ${seq % 90}`,
          attachments: [], createdAt: batchAt, matchedKeywords: ['администрация'], raw: {},
        };
      });
      await store.messages.ingest(TENANT, batch, 'vk-main', batchAt);
      const items = await store.work.claim<ClassifyPayload>('classify', 'bench', new Date(batchAt.getTime() + 1000), 60_000, 10);
      const report = await classifyBatch(store, runtimes, cache, items, batchAt);
      await store.work.complete('classify', items);
      created.push(...report.results.filter((r) => r.outcome === 'incident').map((r) => r.incident));
    });

    // A staff action: the curator confirms and routes one incident in triage.
    const triage = (await store.incidents.open({ tenant: TENANT, states: ['triage'] })).map((i) => i.number);
    const curator = { kind: 'staff', code: 'petrova', roles: ['curator'] } as const;
    figures['staff action (confirm and route)'] = await timed(Math.min(40, triage.length), (i) =>
      store.incidents.apply(runtime, triage[i]!, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, curator, later(20 * 60_000)));

    // The watcher while the batches' first terms come due: it starts with a sweep half a minute
    // before the first, as a restarted watcher does, then ticks every 30 s until the last has
    // passed, reading what is due by key. A tick that falls due for the ten-minute sweep is a
    // sweep, timed with the sweeps.
    const crossings = created.map((incident) => Math.min(...incident.deadlines.filter((d) => d.metAt === null && !d.conditional).map((d) => d.dueAt.getTime())) - DUE_SOON_WINDOW_MS);
    const walkFrom = Math.min(...crossings) - 30_000;
    const walkTo = Math.max(...crossings) + 60_000;
    const watchRuntimes = new TenantRuntimeCache(store);
    const progress = newWatchProgress();
    await watchDeadlines(store, watchRuntimes, new Date(walkFrom), progress);
    const ticks: number[] = [];
    const sweeps: number[] = [];
    let lookedAt = 0;
    let notices = 0;
    for (let t = walkFrom + 30_000; t <= walkTo; t += 30_000) {
      const started = performance.now();
      const report = await watchDeadlines(store, watchRuntimes, new Date(t), progress);
      (report.swept ? sweeps : ticks).push(performance.now() - started);
      if (!report.swept) {
        lookedAt += report.scanned;
        notices += report.notices;
      }
    }
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await watchDeadlines(store, watchRuntimes, new Date(walkTo + (i + 1) * 60_000));
      sweeps.push(performance.now() - started);
    }
    console.log(`  watcher: ${ticks.length} ticks by key looked at ${lookedAt} incidents and sent ${notices} notices; ${sweeps.length} sweeps`);
    figures['watcher tick (by key, every 30 s)'] = percentiles(ticks);
    figures['watcher sweep (every 10 min)'] = percentiles(sweeps);

    // An inbox page: the triage queue sorted by the next term, 50 rows.
    figures['inbox page (triage, 50 rows)'] = await timed(20, async () => {
      const page = await store.incidents.inbox({ tenant: TENANT, states: ['triage', 'assigned'], limit: 50, now: later(60 * 60_000) });
      // What the page shows of each row beyond the entry: its incident (the card's first lines).
      return store.incidents.getMany(TENANT, page.rows.map((r) => r.number));
    });

    // A closed incident's card, by number, from the archive.
    const archived = have;
    figures['closed incident card'] = await timed(40, (i) => store.incidents.withMessage(TENANT, 1 + Math.floor(((i + 1) / 41) * archived)));
    figures['closed list (newest 50)'] = await timed(10, () => store.incidents.recentArchived(TENANT, 50));

    rows.push({ size, figures, heapMb: server.heap.heapMb, storeRss: rssMb(server.pid), dataMb });
    console.log(`  collections: ${JSON.stringify(await store.maintenance.counts())}`);
    void db;
  }
  await store.close();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const names = Object.keys(rows[0]!.figures);
  const base = rows[0]!;
  console.log(`\n${'operation (ms, p50 / p95)'.padEnd(42)}${rows.map((r) => `${r.size.toLocaleString('en')} incidents`.padStart(24)).join('')}`);
  for (const name of names) {
    console.log(`${name.padEnd(42)}${rows.map((r) => {
      const f = r.figures[name]!;
      const ratio = base.figures[name]!.p95 > 0 ? ` (×${(f.p95 / base.figures[name]!.p95).toFixed(1)})` : '';
      return `${f.p50} / ${f.p95}${r === base ? '' : ratio}`.padStart(24);
    }).join('')}`);
  }
  console.log(`${'store: data file / heap / RSS (MiB)'.padEnd(42)}${rows.map((r) => `${r.dataMb} / ${r.heapMb} / ${r.storeRss}`.padStart(24)).join('')}`);
}

await main();
