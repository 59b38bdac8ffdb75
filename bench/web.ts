import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { NETWORKS } from '../connectors/types.js';
import { tenantFileSchema } from '../config/tenant-schema.js';
import { dbOf, openStore, type Store } from '../store/connection.js';
import { startEmbeddedStore, type EmbeddedStore } from '../store/embedded/server.js';
import { saveCredential } from '../store/web/accounts.js';
import { openWebStore } from '../store/web/index.js';
import { LiveHub } from '../web/live.js';
import { hashPassword } from '../web/passwords.js';
import { buildWebApp } from '../web/server.js';
import type { IncidentState } from '../workflow/incident-states.js';
import { STATE_INFO } from '../workflow/incident-states.js';

/**
 * The inbox's render time (issue 11: p95 < 300 ms at 10,000 open incidents): the real
 * server over HTTP on the real store, signed in as the example's curator and an executor,
 * each page rendered in full (query, filters, sorting, working time left, HTML).
 *   node --import tsx bench/web.ts [N=10000] [ROUNDS=40]
 * With MONGODB_URI set, that server is used instead of the embedded one.
 */
const N = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 40);
const TENANT = 'zarechensk';
const PASSWORD = 'bench-password-2026';

// Open incidents as a working day leaves them.
const SHARES: ReadonlyArray<[IncidentState, number]> = [
  ['triage', 0.3], ['assigned', 0.15], ['draft', 0.2], ['review', 0.1], ['rework', 0.05],
  ['approved', 0.02], ['publishing', 0.03], ['awaiting-final', 0.1], ['awaiting-author', 0.05],
];
const DEPARTMENTS: ReadonlyArray<[string, string[]]> = [
  ['zhkh', ['kuznetsov', 'orlova']], ['roads', ['sokolov']], ['blago', ['morozova']], ['social', ['volkova']], ['education', ['lebedev']], ['gochs', ['nikitin']],
];
const TOPICS = ['ЖКХ', 'дороги', 'благоустройство', 'социальная защита', 'образование', 'ЧС и безопасность'];
const STREETS = ['улица Ленина', 'улица Мира', 'Садовая улица', 'улица Гагарина', 'проспект Победы', 'Заводская улица'];

function stateOf(i: number): IncidentState {
  let x = (i * 7919 % N) / N;
  for (const [state, share] of SHARES) {
    if (x < share) return state;
    x -= share;
  }
  return 'triage';
}

function docs(i: number, now: Date) {
  const state = stateOf(i);
  const [department, executors] = DEPARTMENTS[i % DEPARTMENTS.length]!;
  const routed = state !== 'triage';
  const detectedAt = new Date(now.getTime() - (1 + (i % 96)) * 3_600_000);
  const dueAt = new Date(now.getTime() + ((i % 144) - 48) * 1_800_000);
  const network = NETWORKS[i % NETWORKS.length]!;
  const messageId = `${TENANT}:${network}:bench-${i}`;
  const text = `Здравствуйте! На ${STREETS[i % STREETS.length]}, дом ${i % 120}, ${['нет горячей воды', 'яма на дороге', 'не вывозят мусор', 'не горят фонари'][i % 4]} уже ${1 + (i % 9)} дней. Администрация, примите меры!`;
  const deadline = (step: string, due: Date, metAt: Date | null) => ({ step, dueAt: due, responsible: routed ? executors[0] : null, metAt, notified: [], conditional: false, clause: '000 [9]' });
  const message = {
    _id: messageId, tenant: TENANT, network, account: 'vk-main', externalId: `bench-${i}`, kind: 'comment',
    place: { containerId: '-218475963', postId: String(1000 + (i % 50)), itemId: String(i), url: `https://vk.com/wall-218475963_${1000 + (i % 50)}?reply=${i}` },
    author: { id: `id${100000 + i}`, name: 'Иван Петров', anonymous: false }, text, attachments: [], createdAt: detectedAt, fetchedAt: detectedAt,
    matchedKeywords: ['администрация'], raw: { id: i, text },
  };
  const incident = {
    _id: `${TENANT}:${i + 1}`, archiveMonth: detectedAt.toISOString().slice(0, 7), tenant: TENANT, number: i + 1, message: messageId, network: message.network, authorId: message.author.id, state, stateLabel: STATE_INFO[state].label,
    verdict: { rejected: false, reason: null, reasonCode: null, evidence: [], otherReasons: [], language: 'ru', languageNote: null, topic: { value: TOPICS[i % TOPICS.length], confidence: 0.8 }, location: { value: STREETS[i % STREETS.length], kind: 'street', evidence: STREETS[i % STREETS.length] }, importance: { value: i % 11 === 0 ? 'high' : 'normal', reason: '' }, competence: null, repeatOf: null, modelVersion: 'bench' },
    topic: TOPICS[i % TOPICS.length], location: STREETS[i % STREETS.length], importance: i % 11 === 0 ? 'high' : 'normal', repeatOf: i % 17 === 0 && i > 0 ? i : null,
    departments: routed ? [department] : [], assignee: routed ? executors[i % executors.length] : null,
    drafts: ['review', 'rework', 'approved', 'publishing', 'awaiting-final', 'awaiting-author'].includes(state)
      ? [{ id: `d${i}`, kind: 'answer', text: 'Здравствуйте! Специалисты выедут на место до 5 декабря 2026 года.', attachments: [], author: executors[0], submittedAt: detectedAt, findings: [], reviewedBy: null, reviewedAt: null, reviewComment: null, decision: null, promisedBy: null, ground: null }]
      : [],
    deadlines: [deadline('triage', new Date(detectedAt.getTime() + 1_800_000), routed ? detectedAt : null), deadline('answer', dueAt, null), ...(routed ? [deadline('draft', dueAt, null)] : [])],
    nextDueAt: dueAt, dueStatus: null, dueStatusLabel: null,
    publication: { attempts: [], outcome: null, outcomeLabel: null, publicInterest: false, manualCheck: state === 'publishing' && i % 2 === 0 ? { at: now, reason: 'bench' } : null },
    history: [{ who: 'system:classifier', at: detectedAt, from: 'new', to: 'triage', why: 'Требует реагирования: передано куратору' }, ...(routed ? [{ who: 'petrova', at: detectedAt, from: 'triage', to: 'assigned', why: 'Исполнитель по очереди подразделения' }] : [])],
    detectedAt, postedAt: detectedAt, departmentIndex: 0, rejection: null, appeal: null, revision: 1, createdAt: detectedAt, updatedAt: detectedAt,
  };
  return { message, incident };
}

/** Written as the classifier leaves them; the inbox entries are made by the consistency check, as after a crash. */
async function seed(store: Store, now: Date): Promise<void> {
  const db = dbOf(store).connection.db!;
  for (let i = 0; i < N; i += 500) {
    const batch = Array.from({ length: Math.min(500, N - i) }, (_, k) => docs(i + k, now));
    await db.collection('messages').insertMany(batch.map((b) => b.message) as never[]);
    await db.collection('incidents').insertMany(batch.map((b) => b.incident) as never[]);
  }
  await db.collection('counters').updateOne({ _id: `incident:${TENANT}` as never }, { $max: { value: N } }, { upsert: true });
  await store.maintenance.check();
}

async function signIn(url: string, login: string): Promise<string> {
  const page = await fetch(`${url}/login`);
  const pre = /otklik_pre=([^;]+)/.exec(page.headers.getSetCookie().join('\n'))![1]!;
  const response = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie: `otklik_pre=${pre}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: pre, login, password: PASSWORD }).toString(),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith('otklik_session='));
  if (!session) throw new Error(`sign-in as ${login} failed: ${response.status}`);
  return session.split(';')[0]!;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function measure(url: string, cookie: string, pathAndQuery: string, htmx: boolean): Promise<{ p50: number; p95: number; max: number; rows: number; kb: number }> {
  const get = async () => {
    const started = performance.now();
    const response = await fetch(`${url}${pathAndQuery}`, { headers: { cookie, ...(htmx ? { 'HX-Request': 'true' } : {}) } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status}`);
    return { ms: performance.now() - started, body };
  };
  for (let k = 0; k < 3; k++) await get();
  const times: number[] = [];
  let last = '';
  for (let k = 0; k < ROUNDS; k++) {
    const { ms, body } = await get();
    times.push(ms);
    last = body;
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: times[times.length - 1]!, rows: (last.match(/<tr data-number=/g) ?? []).length, kb: Buffer.byteLength(last) / 1024 };
}

let embedded: EmbeddedStore | undefined;
const uri = process.env.MONGODB_URI;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-bench-web-'));
if (!uri) embedded = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: Number(process.env.OTKLIK_STORE_HEAP_MB ?? 1024) });
const store = await openStore({ uri: uri ?? embedded!.uri, dbName: `bench_web_${process.pid}` });
try {
  const now = new Date();
  await store.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
  const seedStarted = performance.now();
  await seed(store, now);
  console.log(`seeded ${N} open incidents with their messages in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${uri ? 'MONGODB_URI' : 'embedded mongo-java-server'})`);
  const web = await openWebStore(store);
  const hash = await hashPassword(PASSWORD);
  for (const code of ['petrova', 'orlova']) await saveCredential(store, { login: code, passwordHash: hash, accounts: [{ tenant: TENANT, code }] }, now);
  const app = await buildWebApp({ store: web, live: new LiveHub(web, { warn: () => undefined }), signInLimit: { max: 1000, timeWindowMs: 60_000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const curator = await signIn(url, 'petrova');
  const executor = await signIn(url, 'orlova');
  // What live updates ask every 2 s while someone of the tenant is connected.
  const scans: number[] = [];
  for (let k = 0; k < 10; k++) {
    const started = performance.now();
    await web.changesSince(TENANT, new Date(Date.now() - 5000));
    scans.push(performance.now() - started);
  }
  scans.sort((a, b) => a - b);
  console.log(`changes since 5 s ago among ${N} open incidents (live updates, every 2 s): median ${quantile(scans, 0.5).toFixed(0)} ms, max ${scans[scans.length - 1]!.toFixed(0)} ms`);
  const scenarios: Array<[string, string, string]> = [
    ['curator, «На распределении»', curator, '/inbox?queue=triage'],
    ['curator, «У исполнителя»', curator, '/inbox?queue=executor'],
    ['curator, «У исполнителя», overdue, ЖКХ', curator, '/inbox?queue=executor&due=overdue&topic=%D0%96%D0%9A%D0%A5'],
    ['curator, text search «фонари»', curator, `/inbox?queue=executor&q=${encodeURIComponent('фонари')}`],
    ['curator, «Требует внимания человека»', curator, '/inbox?queue=attention'],
    ['executor (own department only)', executor, '/inbox?queue=executor'],
    ['htmx list refresh, curator', curator, '/inbox?queue=triage'],
  ];
  console.log(`inbox render over HTTP, ${ROUNDS} requests each after 3 warm-ups (ms):`);
  for (const [label, cookie, query] of scenarios) {
    const r = await measure(url, cookie, query, label.startsWith('htmx'));
    const verdict = r.p95 < 300 ? 'ok' : 'OVER 300 ms';
    console.log(`  ${label.padEnd(42)} p50 ${r.p50.toFixed(0).padStart(4)}  p95 ${r.p95.toFixed(0).padStart(4)}  max ${r.max.toFixed(0).padStart(4)}  rows ${String(r.rows).padStart(3)}  ${r.kb.toFixed(0)} KB  ${verdict}`);
  }
  await app.close();
  web.stop();
} finally {
  await store.maintenance.dropDatabase().catch(() => undefined);
  await store.close();
  await embedded?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
