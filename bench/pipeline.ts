import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { tenantFileSchema } from '../config/tenant-schema.js';
import { startSandbox } from '../sandbox/server.js';
import { dbOf, openStore } from '../store/connection.js';
import { startEmbeddedStore } from '../store/embedded/server.js';
import { actOnce } from '../test/support/staff-driver.js';
import { startWorker } from '../test/support/worker-processes.js';

/**
 * The pipeline under load: the sandbox offers citizens' messages at 10, 100 and 1,000 a
 * second (split over the three networks) for a few seconds each; the real workers ingest,
 * classify and publish; scripted staff route and approve at once. Prints latency
 * (message fetched → incident created; approved → published) at p50/p95/p99, the
 * throughput reached, and the store's and workers' memory.
 *   node --import tsx bench/pipeline.ts [SECONDS_PER_RATE]
 */
const SECONDS = Number(process.argv[2] ?? 5);
const RATES = [10, 100, 1000];

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-bench-pipeline-'));
const server = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: 256 });
const sandbox = await startSandbox({ port: 0 });
const dbName = `bench_pipeline_${process.pid}`;
const store = await openStore({ uri: server.uri, dbName });
const raw = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as { accounts: Array<{ apiBaseUrl?: string }> };
for (const account of raw.accounts) account.apiBaseUrl = account.apiBaseUrl?.replace('http://127.0.0.1:8787', sandbox.url);
await store.tenants.importFile(tenantFileSchema.parse(raw));
const env = { MONGODB_URI: server.uri, OTKLIK_DB_NAME: dbName, OTKLIK_SANDBOX_URL: sandbox.url };
const workers = [['connector', 'vk'], ['connector', 'telegram'], ['connector', 'ok'], ['classifier'], ['publisher']].map((role) => startWorker(role, env));
const db = dbOf(store).connection.db!;
const runtime = await store.tenants.runtime('zarechensk');
console.log(`bench/pipeline.ts: ${SECONDS} s per offered rate; node ${process.version}; ${os.cpus().length} cores`);
try {
  while ((await db.collection('networkCursors').countDocuments()) < 3) await new Promise((r) => setTimeout(r, 200));
  for (const rate of RATES) {
    const before = await db.collection('messages').countDocuments();
    const started = Date.now();
    // Offer `rate` messages a second, a tick every 100 ms, split over the networks.
    let offered = 0;
    while (Date.now() - started < SECONDS * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate) - offered;
      for (let k = 0; k < due; k++) sandbox.emit((['vk', 'telegram', 'ok'] as const)[(offered + k) % 3]!, 1);
      offered += Math.max(0, due);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Drain: until the stored count has settled (group chatter without keywords is rightly
    // not stored) and every incident is answered or closed, or 120 s pass.
    const drainDeadline = Date.now() + 120000;
    let staffRounds = 0;
    let lastMessages = -1;
    let steadySince = Date.now();
    for (;;) {
      const messages = await db.collection('messages').countDocuments();
      if (messages !== lastMessages) {
        lastMessages = messages;
        steadySince = Date.now();
      }
      const incidents = await db.collection('incidents').countDocuments();
      staffRounds += await actOnce(store, runtime, () => 'answer');
      const open = await db.collection('incidents').countDocuments({ state: { $nin: ['published', 'published-private', 'closed-no-channel', 'rejected'] } });
      if ((Date.now() - steadySince > 3000 && incidents === messages && open === 0) || Date.now() > drainDeadline) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const window = { fetchedAt: { $gte: new Date(started - 1000) } };
    const rows = await db.collection('messages').aggregate([
      { $match: window },
      { $lookup: { from: 'incidents', localField: '_id', foreignField: 'message', as: 'i' } },
      { $unwind: '$i' },
      { $project: { fetchedAt: 1, created: '$i.createdAt', history: '$i.history' } },
    ]).toArray();
    const ingest = rows.map((r) => (r.created as Date).getTime() - (r.fetchedAt as Date).getTime()).sort((a, b) => a - b);
    const publish = rows
      .map((r) => {
        const history = r.history as Array<{ to: string; at: Date }>;
        const approved = history.find((h) => h.to === 'approved');
        const done = history.find((h) => h.to === 'published' || h.to === 'published-private' || h.to === 'closed-no-channel');
        return approved && done ? done.at.getTime() - approved.at.getTime() : NaN;
      })
      .filter((x) => !Number.isNaN(x))
      .sort((a, b) => a - b);
    // Throughput: incidents made from the first offer to the last incident created.
    const lastCreated = Math.max(...rows.map((r) => (r.created as Date).getTime()));
    const elapsedSec = (lastCreated - started) / 1000;
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 50)} ms, p95 ${percentile(xs, 95)} ms, p99 ${percentile(xs, 99)} ms (n=${xs.length})`;
    console.log(`\noffered ${rate}/s for ${SECONDS} s (${offered} messages)`);
    console.log(`  reached: ${(rows.length / elapsedSec).toFixed(1)} incidents/s (${rows.length} incidents of ${offered} offered, the rest group chatter without keywords, in ${elapsedSec.toFixed(1)} s); ${staffRounds} staff commands`);
    console.log(`  fetched → incident: ${fmt(ingest)}`);
    console.log(`  approved → published: ${fmt(publish)}`);
    console.log(`  memory: store ${rssMb(server.pid)} MiB; ${workers.map((w) => `${w.role.join('-')} ${rssMb(w.child.pid)} MiB`).join(', ')}`);
  }
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await db.dropDatabase().catch(() => undefined);
  await store.close();
  await sandbox.stop();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
