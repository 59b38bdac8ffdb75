import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { tenantFileSchema } from '../config/tenant-schema.js';
import { loadSettings } from '../config/settings.js';
import { startSandbox } from '../sandbox/server.js';
import { dbOf, openStore } from '../store/connection.js';
import { startEmbeddedStore } from '../store/embedded/server.js';
import { actOnce } from '../test/support/staff-driver.js';

/**
 * The pipeline under load, as production runs it: the embedded store, the sandbox offering
 * citizens' messages, and the compiled workers pm2 starts (`node dist/workers/launch.js`:
 * the connectors in one process, the classifier, and publisher+watcher+reports in one).
 *
 *   node --import tsx bench/pipeline.ts [--latency-seconds 30] [--load-seconds 60] [--rate 1000] [--cpu-prof DIR]
 *
 * 1. 10 messages/s with scripted staff routing and approving at once: approved → published.
 * 2. 100 messages/s: fetched → incident latency (p50/p95/p99).
 * 3. `rate` messages/s for `load-seconds`: incidents made per second, every 10 s, and the
 *    backlog at the end (fetched but not yet an incident).
 * Throughout, the RSS of the store and of every worker process, and their sum.
 */
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const LATENCY_SECONDS = arg('latency-seconds', 30);
const LOAD_SECONDS = arg('load-seconds', 60);
const RATE = arg('rate', 1000);
const HEAP_MB = arg('heap-mb', 512);
// --cpu-prof DIR: each worker writes a V8 CPU profile there when it stops (open in Chrome's DevTools).
const cpuProfDir = process.argv.includes('--cpu-prof') ? path.resolve(process.argv[process.argv.indexOf('--cpu-prof') + 1] ?? 'cpu-prof') : null;
const root = process.cwd();

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
function cpuSec(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const fmt = (xs: number[]) => `p50 ${percentile(xs, 50)} ms, p95 ${percentile(xs, 95)} ms, p99 ${percentile(xs, 99)} ms (n=${xs.length})`;

console.log('building dist/ …');
const build = spawn(process.execPath, ['bin/build.mjs'], { cwd: root, stdio: 'inherit' });
if ((await new Promise((resolve) => build.once('exit', resolve))) !== 0) throw new Error('build failed');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-bench-pipeline-'));
const server = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: HEAP_MB, jvmOptions: loadSettings().storeJvmOptions });
const sandbox = await startSandbox({ port: 0 });
const dbName = `bench_pipeline_${process.pid}`;
const store = await openStore({ uri: server.uri, dbName });
const raw = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as { accounts: Array<{ apiBaseUrl?: string }> };
for (const account of raw.accounts) account.apiBaseUrl = account.apiBaseUrl?.replace('http://127.0.0.1:8787', sandbox.url);
await store.tenants.importFile(tenantFileSchema.parse(raw));
const env = { ...process.env, MONGODB_URI: server.uri, OTKLIK_DB_NAME: dbName, OTKLIK_SANDBOX_URL: sandbox.url, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
const roles = ['connector', 'classifier', 'publisher+watcher+reports'];
const workers: Array<{ role: string; child: ChildProcess }> = roles.map((role) => ({
  role, child: spawn(process.execPath, [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), 'dist/workers/launch.js', role], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] }),
}));
const db = dbOf(store).connection.db!;

// Memory, sampled every second: the worst sum seen, and each process's worst.
const peak = new Map<string, number>();
let peakSum = 0;
const sampler = setInterval(() => {
  const now: Array<[string, number]> = [['store', rssMb(server.pid)], ...workers.map((w): [string, number] => [w.role, rssMb(w.child.pid)])];
  for (const [name, mb] of now) peak.set(name, Math.max(peak.get(name) ?? 0, mb));
  peakSum = Math.max(peakSum, now.reduce((s, [, mb]) => s + mb, 0));
}, 1000);

/** Offers `rate` messages a second for `seconds`, mostly VK and Telegram (OK paces itself at 3 requests/s). */
async function offer(rate: number, seconds: number, onTick?: (elapsedMs: number) => Promise<void>): Promise<number> {
  const started = Date.now();
  let offered = 0;
  let lastTick = started;
  const networks = ['vk', 'telegram', 'vk', 'telegram', 'vk', 'telegram', 'vk', 'telegram', 'vk', 'ok'] as const;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate) - offered;
    for (let k = 0; k < due; k++) sandbox.emit(networks[(offered + k) % networks.length]!, 1, 'complaint');
    offered += Math.max(0, due);
    if (onTick && Date.now() - lastTick >= 10_000) {
      lastTick = Date.now();
      await onTick(Date.now() - started);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return offered;
}

async function incidentCollections(): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n === 'incidents' || n.startsWith('incidents.archive.'));
}
async function incidentCount(): Promise<number> {
  let n = 0;
  for (const name of await incidentCollections()) n += await db.collection(name).estimatedDocumentCount();
  return n;
}
/** fetched → incident for every message fetched since `since`. */
async function latencies(since: Date): Promise<number[]> {
  const fetched = new Map((await db.collection('messages').find({ fetchedAt: { $gte: since } }, { projection: { fetchedAt: 1 } }).toArray()).map((m) => [String(m._id), (m.fetchedAt as Date).getTime()]));
  const out: number[] = [];
  for (const name of await incidentCollections()) {
    for (const i of await db.collection(name).find({ createdAt: { $gte: since } }, { projection: { message: 1, createdAt: 1 } }).toArray()) {
      const at = fetched.get(String(i.message));
      if (at !== undefined) out.push((i.createdAt as Date).getTime() - at);
    }
  }
  return out.sort((a, b) => a - b);
}
async function settle(maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  let steadySince = Date.now();
  while (Date.now() < deadline) {
    const messages = await db.collection('messages').estimatedDocumentCount();
    const incidents = await incidentCount();
    if (messages !== last) {
      last = messages;
      steadySince = Date.now();
    }
    if (incidents >= messages && Date.now() - steadySince > 2000) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

console.log(`bench/pipeline.ts: node ${process.version}; ${os.cpus().length} cores; embedded store -Xmx${HEAP_MB}m; compiled workers: ${roles.join(', ')}`);
try {
  while ((await db.collection('networkCursors').countDocuments()) < 3) await new Promise((r) => setTimeout(r, 200));
  // Warm-up: the JIT of the store and of the workers, the first classifier model.
  await offer(50, 5);
  await settle(30_000);

  // Publishing first, while the store holds few open incidents: the scripted staff read every
  // open incident each round, which would measure their reads after the load phase's backlog.
  const runtime = await store.tenants.runtime('zarechensk');
  const publishStart = new Date();
  await offer(10, 20, async () => void (await actOnce(store, runtime, () => 'answer', () => new Date(), (inc) => inc.createdAt >= publishStart)));
  for (let i = 0; i < 200; i++) {
    await actOnce(store, runtime, () => 'answer', () => new Date(), (inc) => inc.createdAt >= publishStart);
    const waiting = (await store.incidents.open({ tenant: 'zarechensk', states: ['approved', 'publishing'] })).length;
    if (waiting === 0 && i > 20) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const published: number[] = [];
  for (const name of await incidentCollections()) {
    for (const i of await db.collection(name).find({ createdAt: { $gte: publishStart } }, { projection: { history: 1 } }).toArray()) {
      const history = i.history as Array<{ to: string; at: Date }>;
      const approved = history.find((h) => h.to === 'approved');
      const out = history.find((h) => h.to === 'published' || h.to === 'published-private' || h.to === 'closed-no-channel');
      if (approved && out) published.push(out.at.getTime() - approved.at.getTime());
    }
  }
  console.log(`\n1. 10/s with staff approving at once: approved → published: ${fmt(published.sort((a, b) => a - b))}`);
  const latencyStart = new Date();
  const offered100 = await offer(100, LATENCY_SECONDS);
  await settle(30_000);
  console.log(`\n2. ${offered100} messages at 100/s for ${LATENCY_SECONDS} s`);
  console.log(`   fetched → incident: ${fmt(await latencies(latencyStart))}`);

  const cpuOf = (): Array<[string, number]> => [['store', cpuSec(server.pid)], ...workers.map((w): [string, number] => [w.role, cpuSec(w.child.pid)]), ['bench+sandbox', cpuSec(process.pid)]];
  const cpuBefore = cpuOf();
  const loadStart = new Date();
  const before = await incidentCount();
  let lastCount = before;
  const perWindow: string[] = [];
  const offered = await offer(RATE, LOAD_SECONDS, async (elapsedMs) => {
    const now = await incidentCount();
    perWindow.push(`${Math.round(elapsedMs / 1000)} s: ${Math.round((now - lastCount) / 10)}/s`);
    lastCount = now;
  });
  const loadEnd = Date.now();
  const cpuAfter = cpuOf();
  const madeDuring = (await incidentCount()) - before;
  // The last window, shorter than ten seconds, ends with the offer.
  const lastWindowSec = (loadEnd - loadStart.getTime()) / 1000 - perWindow.length * 10;
  if (lastWindowSec >= 1) perWindow.push(`${Math.round((loadEnd - loadStart.getTime()) / 1000)} s: ${Math.round((before + madeDuring - lastCount) / lastWindowSec)}/s`);
  // Counted from a projection, not with countDocuments or $group: mongo-java-server runs an
  // aggregation over the whole collection in memory, and 70,000 messages with their raw
  // payloads took the store's 512 MiB heap while the workers were still draining.
  const fetchedByNetwork = new Map<string, number>();
  for await (const m of db.collection('messages').find({ fetchedAt: { $gte: loadStart } }, { projection: { _id: 0, network: 1 } })) {
    fetchedByNetwork.set(String(m.network), (fetchedByNetwork.get(String(m.network)) ?? 0) + 1);
  }
  const fetchedDuring = [...fetchedByNetwork.values()].reduce((a, b) => a + b, 0);
  const backlog = fetchedDuring - madeDuring;
  console.log(`\n3. ${offered} messages offered at ${RATE}/s for ${LOAD_SECONDS} s`);
  console.log(`   incidents made while offered: ${madeDuring} = ${(madeDuring / ((loadEnd - loadStart.getTime()) / 1000)).toFixed(0)}/s; every 10 s: ${perWindow.join(', ')}`);
  console.log(`   fetched ${fetchedDuring} (${(fetchedDuring / LOAD_SECONDS).toFixed(0)}/s); backlog at the end: ${backlog} fetched but not yet an incident`);
  // Where fetching fell behind the offer: each network's share of what was offered (the
  // offer cycles vk, telegram, …, ok in the proportions of `offer`).
  const byNetwork = [...fetchedByNetwork.entries()].map(([network, n]) => ({ _id: network, n }));
  const offeredShare: Record<string, number> = { vk: 0.5, telegram: 0.4, ok: 0.1 };
  console.log(`   fetched of offered, per network: ${byNetwork.sort((a, b) => a._id.localeCompare(b._id)).map((r) => `${r._id} ${r.n}/${Math.round(offered * (offeredShare[r._id] ?? 0))}`).join(', ')}`);
  console.log(`   CPU while offered (of ${os.cpus().length * LOAD_SECONDS} core-seconds): ${cpuAfter.map(([name, sec], i) => `${name} ${(sec - cpuBefore[i]![1]).toFixed(1)} s`).join(', ')}`);
  const drainStart = Date.now();
  await settle(120_000);
  console.log(`   drained in ${((Date.now() - drainStart) / 1000).toFixed(1)} s; fetched → incident under load: ${fmt(await latencies(loadStart))}`);

  console.log(`\nmemory (RSS, worst seen): ${[...peak.entries()].map(([n, mb]) => `${n} ${mb} MiB`).join(', ')}; all together at worst ${peakSum} MiB`);
  console.log(`store holds: ${JSON.stringify(await store.maintenance.counts())}`);
} finally {
  clearInterval(sampler);
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((resolve) => (w.child.exitCode !== null ? resolve(null) : w.child.once('exit', resolve)))));
  await store.maintenance.dropDatabase().catch(() => undefined);
  await store.close();
  await sandbox.stop();
  await server.stop();
  // KEEP_BENCH_LOG=FILE keeps the store's log (its SLOW lines) before the data folder goes.
  if (process.env.KEEP_BENCH_LOG) fs.copyFileSync(path.join(dataDir, 'store.log'), process.env.KEEP_BENCH_LOG);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
