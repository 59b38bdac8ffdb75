import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dbOf, openStore, redactUri, type Store } from '../store/connection.js';
import { startEmbeddedStore, type EmbeddedStore } from '../store/embedded/server.js';

/**
 * Store throughput: inserts one by one and in batches, atomic claims with one and two
 * processes, and the embedded server's memory, for N documents (default 20,000).
 *   node --import tsx bench/store.ts [N]
 * With MONGODB_URI set, the same is measured against that server too.
 */
const N = Number(process.argv[2] ?? 20000);
const here = path.dirname(fileURLToPath(import.meta.url));

function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

function messageDoc(i: number) {
  return {
    tenant: 'bench', network: 'vk', account: 'main', externalId: `wall-1_${i}`, kind: 'comment',
    place: { containerId: '-1', postId: String(i % 100), itemId: String(i) },
    author: { id: String(100000 + (i % 5000)), name: 'Иван Петров', anonymous: false },
    text: `Здравствуйте! На улице Ленина, дом ${i % 200}, уже третий день нет горячей воды. Когда дадут?`,
    attachments: [], createdAt: new Date(), fetchedAt: new Date(), matchedKeywords: ['администрация'], classifiedAt: null, lease: null,
  };
}

async function seed(store: Store, collection: string, count: number): Promise<void> {
  const c = dbOf(store).connection.db!.collection(collection);
  await c.drop().catch(() => undefined);
  for (let i = 0; i < count; i += 1000) {
    await c.insertMany(Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({ _id: `job-${String(i + j).padStart(6, '0')}`, done: false, lease: null })) as never[]);
  }
}

function claimers(uri: string, dbName: string, collection: string, completion: 'delete' | 'mark', processes: number, refillEach = 0): Promise<Array<{ claimed: number; ms: number }>> {
  return Promise.all(
    Array.from({ length: processes }, (_, p) =>
      new Promise<{ claimed: number; ms: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'claim-worker.ts'), uri, dbName, collection, completion, `bench-${p}`, String(refillEach)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.once('exit', (code) => {
          const match = /CLAIMED (\d+) (\d+)/.exec(out);
          if (code === 0 && match) resolve({ claimed: Number(match[1]), ms: Number(match[2]) });
          else reject(new Error(`claim worker exited ${code}: ${out}`));
        });
      }),
    ),
  );
}

async function measure(label: string, uri: string, pid: number | undefined): Promise<void> {
  const dbName = `otklik_bench_${process.pid}`;
  const store = await openStore({ uri, dbName });
  const db = dbOf(store).connection.db!;
  const rows: Array<[string, string]> = [];
  const memory = () => (pid ? `${rssMb(pid)} MiB` : 'n/a');
  rows.push(['server memory at start', memory()]);
  try {
    let t = Date.now();
    const one = db.collection('bench_messages_one');
    for (let i = 0; i < N; i++) await one.insertOne(messageDoc(i) as never);
    const oneByOne = N / ((Date.now() - t) / 1000);
    rows.push([`inserts one by one (${N})`, `${Math.round(oneByOne)}/s`]);

    t = Date.now();
    const batch = db.collection('bench_messages_batch');
    for (let i = 0; i < N; i += 500) await batch.insertMany(Array.from({ length: Math.min(500, N - i) }, (_, j) => messageDoc(i + j)) as never[]);
    const batched = N / ((Date.now() - t) / 1000);
    rows.push([`inserts in batches of 500 (${N})`, `${Math.round(batched)}/s (${(batched / oneByOne).toFixed(1)}× one by one)`]);
    rows.push(['server memory after inserts', memory()]);

    const results: Record<string, number> = {};
    const DEPTH = 100;
    for (const [completion, processes] of [['delete', 1], ['delete', 2], ['mark', 1], ['mark', 2]] as const) {
      // "delete": the work queue as the workers use it, DEPTH items pending at any time
      // while N pass through. "mark": done documents stay in the collection, which
      // claims must scan (mongo-java-server does not use non-unique indexes), so they
      // slow down as they pile up: measured on fewer.
      const count = completion === 'delete' ? N : Math.min(N, 3000);
      await seed(store, 'bench_jobs', completion === 'delete' ? DEPTH : count);
      const t0 = Date.now();
      const outcome = await claimers(uri, dbName, 'bench_jobs', completion, processes, completion === 'delete' ? (count - DEPTH) / processes : 0);
      const wallMs = Date.now() - t0;
      const claimed = outcome.reduce((a, o) => a + o.claimed, 0);
      if (claimed !== count) throw new Error(`claimed ${claimed} of ${count}`);
      const rate = claimed / (Math.max(...outcome.map((o) => o.ms)) / 1000);
      results[`${completion}${processes}`] = rate;
      rows.push([
        `claims, ${processes} process${processes > 1 ? 'es' : ''}, ${completion === 'delete' ? `work queue at depth ${DEPTH}, done deleted` : 'done kept and marked'} (${count})`,
        `${Math.round(rate)}/s${processes === 2 ? ` (${(rate / results[`${completion}1`]!).toFixed(2)}× one process)` : ''}; wall ${(wallMs / 1000).toFixed(1)} s incl. process start`,
      ]);
    }
    rows.push(['server memory at end', memory()]);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await store.close();
  }
  console.log(`\n${label}`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(72)} ${value}`);
}

let embedded: EmbeddedStore | undefined;
try {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-bench-store-'));
  embedded = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: 256 });
  console.log(`bench/store.ts: ${N} documents; node ${process.version}; ${os.cpus().length} cores`);
  await measure(`embedded mongo-java-server 1.47.0 (H2, commit per write, -Xmx256m) at ${embedded.uri}`, embedded.uri, embedded.pid);
  await embedded.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (process.env.MONGODB_URI) await measure(`MONGODB_URI ${redactUri(process.env.MONGODB_URI)}`, process.env.MONGODB_URI, undefined);
} finally {
  await embedded?.stop();
}
