import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import { startSandbox, type RecordedPost, type Sandbox } from '../../sandbox/server.js';
import type { Store } from '../../store/connection.js';
import type { StoredIncident } from '../../store/port.js';
import { actOnce, type Scenario } from '../support/staff-driver.js';
import { allIncidents, dropTestStore, openTestStore, rawDb, testStoreUri } from '../support/store.js';
import { startWorker, waitUntil, type WorkerProcess } from '../support/worker-processes.js';

const FINAL_STATES = ['published', 'published-private', 'closed-no-channel', 'rejected'];
// Emitted per network; some scripted items are not for the administration (a group chat
// message without any of its keywords) and are rightly not stored, hence the margin.
const PER_NETWORK = 80;
const AT_LEAST = 200;

/**
 * The whole path through the real worker processes: the sandbox shows 240 scripted
 * citizens' messages on three networks, the connectors store them, the classifier makes
 * incidents or rejections, scripted staff route, draft, return, approve (through the
 * same runCommand the staff bot uses), and the publisher answers in place, privately,
 * or closes «Готово» — in three phases with the sandbox's switches changed between them.
 */
describe('end to end: ingest → classify → staff → publish (workers, embedded store, sandbox)', () => {
  let store: Store;
  let sandbox: Sandbox;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    store = await openTestStore('e2e');
    sandbox = await startSandbox({ port: 0 });
    const raw = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as { accounts: Array<{ apiBaseUrl?: string }> };
    for (const account of raw.accounts) account.apiBaseUrl = account.apiBaseUrl?.replace('http://127.0.0.1:8787', sandbox.url);
    await store.tenants.importFile(tenantFileSchema.parse(raw));
    const env = { MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: store.dbName, OTKLIK_SANDBOX_URL: sandbox.url };
    for (const role of [['connector'], ['classifier'], ['publisher'], ['watcher']]) workers.push(startWorker(role, env));
  }, 60000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await sandbox.stop();
    await dropTestStore(store);
  }, 60000);

  it('takes over 200 messages to their outcomes, each incident with its story, no answer twice', async () => {
    const db = rawDb(store);
    await waitUntil('the connectors to start polling', async () => (await db.collection('networkCursors').countDocuments()) >= 3, 60000);
    for (const network of ['vk', 'telegram', 'ok'] as const) sandbox.emit(network, PER_NETWORK);
    // Stored when the count has stopped growing for a few seconds.
    let last = -1;
    let steadySince = Date.now();
    const messages = await waitUntil('the messages to be stored', async () => {
      const n = await db.collection('messages').countDocuments();
      if (n !== last) {
        last = n;
        steadySince = Date.now();
        return undefined;
      }
      return n >= AT_LEAST && Date.now() - steadySince > 8000 ? n : undefined;
    }, 180000);
    await waitUntil('every message classified', async () => (await allIncidents(store)).length === messages, 120000);

    const runtime = await store.tenants.runtime('zarechensk');
    const scenarioOf = (i: StoredIncident): Scenario => (['answer', 'answer', 'returned-then-answer', 'interim-then-final', 'reject-by-curator'] as const)[i.number % 5]!;
    // Phase by number: 0 in place, 1 with comments closed, 2 with private messages closed too.
    const phaseOf = (i: StoredIncident) => (i.number % 7 === 1 ? 1 : i.number % 7 === 2 ? 2 : 0);
    for (const phase of [0, 1, 2]) {
      sandbox.setSwitches(phase === 0 ? { commentsClosed: false, privateClosed: false } : phase === 1 ? { commentsClosed: true, privateClosed: false } : { commentsClosed: true, privateClosed: true });
      await waitUntil(`phase ${phase} incidents final`, async () => {
        await actOnce(store, runtime, scenarioOf, () => new Date(), (i) => phaseOf(i) === phase);
        const open = (await allIncidents(store)).filter((i) => phaseOf(i) === phase && !FINAL_STATES.includes(i.state));
        return open.length === 0;
      }, 240000, 300);
    }

    const incidents = await allIncidents(store);
    const byState = (state: string) => incidents.filter((i) => i.state === state).length;
    // Every kind of outcome happened.
    for (const state of FINAL_STATES) expect({ state, count: byState(state) }).toEqual({ state, count: expect.any(Number) });
    expect(byState('published')).toBeGreaterThan(0);
    expect(byState('published-private')).toBeGreaterThan(0);
    expect(byState('closed-no-channel')).toBeGreaterThan(0);
    expect(byState('rejected')).toBeGreaterThan(0);
    expect(incidents.filter((i) => i.history.some((h) => h.to === 'returned')).length).toBeGreaterThan(0);
    expect(incidents.filter((i) => i.history.some((h) => h.to === 'awaiting-final')).length).toBeGreaterThan(0);

    // Every story starts at classification and every step follows from the one before.
    for (const incident of incidents) {
      expect(incident.history[0]).toMatchObject({ from: 'new' });
      for (let k = 1; k < incident.history.length; k++) expect(incident.history[k]!.from).toBe(incident.history[k - 1]!.to);
      expect(incident.history.at(-1)!.to).toBe(incident.state);
      if (incident.state === 'closed-no-channel') expect(incident.publication.outcomeLabel).toBe('Отсутствие технической возможности для публикации ответа пользователю');
    }

    // What the networks received: one post per published answer, none twice.
    const posts: readonly RecordedPost[] = sandbox.recorded;
    const keys = posts.map((p) => `${p.network} ${p.target} ${p.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    const answered = incidents.filter((i) => i.state === 'published' || i.state === 'published-private');
    const interimThenFinal = answered.filter((i) => i.history.some((h) => h.to === 'awaiting-final')).length;
    expect(posts.length).toBe(answered.length + interimThenFinal);
  }, 600000);
});
