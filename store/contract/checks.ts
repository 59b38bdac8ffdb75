import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { DateTime } from 'luxon';
import { NETWORKS } from '../../connectors/types.js';
import type { Db as Store } from '../db.js';
import { changeState } from '../history.js';
import { claimOne, releaseLease, renewLease } from '../leases.js';
import { messageModel } from '../models/message.js';
import { nextSequenceValue } from '../sequences.js';

/**
 * The store contract: what this project needs of a MongoDB-compatible server, checked
 * against the real thing. Runs in CI against the embedded server (test/store/contract.test.ts)
 * and against any MONGODB_URI with `otklik store check`, so an administration can vet its
 * own MongoDB before relying on it.
 */
export interface ContractContext {
  readonly store: Store;
  /** Address and database that child processes connect to. */
  readonly uri: string;
  readonly dbName: string;
}

export interface ContractCheck {
  readonly name: string;
  run(context: ContractContext): Promise<string>;
}

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new ContractViolation(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const CLAIMER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'claimer.ts');

function runClaimer(args: string[]): { done: Promise<string>; child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLAIMER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<string>((resolve, reject) => {
    child.once('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new ContractViolation(`claimer process ended with ${code ?? signal}: ${err.trim().split('\n').slice(-5).join(' | ')}`))));
  });
  return { done, child };
}

function waitForLine(child: ReturnType<typeof spawn>, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new ContractViolation(`no "${pattern}" from the claimer within ${timeoutMs} ms`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}

async function seedClaimable(store: Store, collection: string, count: number): Promise<void> {
  const db = store.connection.db!;
  await db.collection(collection).drop().catch(() => undefined);
  const batch = Array.from({ length: count }, (_, i) => ({ _id: `doc-${String(i).padStart(5, '0')}`, done: false, lease: null }));
  for (let i = 0; i < batch.length; i += 500) await db.collection(collection).insertMany(batch.slice(i, i + 500) as never[]);
}

const DEPARTMENTS = ['zhkh', 'roads', 'social', 'education'] as const;

interface SampleIncident {
  _id: number;
  network: string;
  department: string;
  met: boolean;
  answerMinutes: number;
  createdAt: Date;
  tags: string[];
}

/** A deterministic month of incidents, so a failure reproduces. */
function sampleIncidents(count: number): SampleIncident[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const start = Date.UTC(2026, 9, 1, 0, 0, 0);
  return Array.from({ length: count }, (_, i) => ({
    _id: i,
    network: NETWORKS[Math.floor(random() * NETWORKS.length)]!,
    department: DEPARTMENTS[Math.floor(random() * DEPARTMENTS.length)]!,
    met: random() < 0.8,
    answerMinutes: Math.floor(random() * 2000),
    // Spread over October 2026, including hours near midnight Moscow time.
    createdAt: new Date(start + Math.floor(random() * 31 * 24 * 3600) * 1000),
    tags: random() < 0.5 ? ['a', 'b'] : ['b'],
  }));
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

async function seedIncidents(store: Store): Promise<SampleIncident[]> {
  const db = store.connection.db!;
  const incidents = sampleIncidents(600);
  await db.collection('contract_incidents').drop().catch(() => undefined);
  await db.collection('contract_departments').drop().catch(() => undefined);
  await db.collection('contract_incidents').insertMany(incidents as never[]);
  await db.collection('contract_departments').insertMany(DEPARTMENTS.map((code, i) => ({ code, name: `Отдел ${i + 1}` })) as never[]);
  return incidents;
}

export const CONTRACT_CHECKS: readonly ContractCheck[] = [
  {
    name: 'a unique index rejects a duplicate message',
    async run({ store }) {
      const Message = messageModel(store.connection);
      const doc = {
        _id: 'contract:vk:wall-1_2_3', tenant: 'contract', network: 'vk', account: 'main', externalId: 'wall-1_2_3', kind: 'comment',
        place: { containerId: '-1', itemId: '3' }, author: { id: '5', name: 'Иван', anonymous: false },
        text: 'Когда починят дорогу?', createdAt: new Date(), fetchedAt: new Date(),
      };
      await Message.create(doc);
      let code: unknown;
      try {
        await Message.create({ ...doc, text: 'the same item fetched again' });
      } catch (error) {
        code = (error as { code?: unknown }).code;
      }
      expectEqual('error code of the second insert', code, 11000);
      expectEqual('messages stored', await Message.countDocuments({ tenant: 'contract' }), 1);
      return 'second insert rejected with E11000';
    },
  },
  {
    name: 'two processes claiming 1,000 documents never get the same one',
    async run({ store, uri, dbName }) {
      await seedClaimable(store, 'contract_claims', 1000);
      const [a, b] = await Promise.all([
        runClaimer(['drain', uri, dbName, 'contract_claims', 'process-a']).done,
        runClaimer(['drain', uri, dbName, 'contract_claims', 'process-b']).done,
      ]);
      const idsA = a.split('\n').filter(Boolean);
      const idsB = b.split('\n').filter(Boolean);
      const all = [...idsA, ...idsB];
      const duplicates = all.length - new Set(all).size;
      expectEqual('documents claimed twice', duplicates, 0);
      expectEqual('documents claimed in all', new Set(all).size, 1000);
      if (idsA.length === 0 || idsB.length === 0) throw new ContractViolation(`one process claimed nothing (${idsA.length} / ${idsB.length}): the check did not run concurrently`);
      return `claimed ${idsA.length} + ${idsB.length}, 0 twice`;
    },
  },
  {
    name: 'a lease held by a process killed with SIGKILL expires and another claims the document',
    async run({ store, uri, dbName }) {
      await seedClaimable(store, 'contract_leases', 1);
      const leaseMs = 1500;
      const holder = runClaimer(['hold', uri, dbName, 'contract_leases', 'doomed', String(leaseMs)]);
      holder.done.catch(() => undefined);
      const held = await waitForLine(holder.child, /HELD (\S+)/, 20000);
      holder.child.kill('SIGKILL');
      const heldId = held[1];
      const early = await claimOne<{ _id: string }>(store, { collection: 'contract_leases', filter: { done: false }, owner: 'survivor', now: new Date(), leaseMs: 60000 });
      expectEqual('claim while the dead holder\'s lease is still valid', early?.document._id ?? null, null);
      await new Promise((resolve) => setTimeout(resolve, leaseMs + 300));
      const later = await claimOne<{ _id: string; lease: { owner: string } }>(store, { collection: 'contract_leases', filter: { done: false }, owner: 'survivor', now: new Date(), leaseMs: 60000 });
      expectEqual('document claimed after expiry', later?.document._id, heldId);
      expectEqual('new holder', later?.document.lease.owner, 'survivor');
      return `document ${heldId} claimed again after the killed holder's lease expired`;
    },
  },
  {
    name: 'a lost lease cannot be renewed or released by its old holder',
    async run({ store }) {
      await seedClaimable(store, 'contract_fencing', 1);
      const t0 = new Date('2026-01-01T10:00:00Z');
      const first = await claimOne<{ _id: string }>(store, { collection: 'contract_fencing', filter: { done: false }, owner: 'slow', now: t0, leaseMs: 1000 });
      if (!first) throw new ContractViolation('nothing claimed');
      const t1 = new Date(t0.getTime() + 5000);
      const second = await claimOne<{ _id: string }>(store, { collection: 'contract_fencing', filter: { done: false }, owner: 'fast', now: t1, leaseMs: 60000 });
      expectEqual('taken over after expiry', second?.document._id, first.document._id);
      expectEqual('old holder renews', await renewLease(store, 'contract_fencing', first.document._id, first.lease, t1, 1000), null);
      expectEqual('old holder releases', await releaseLease(store, 'contract_fencing', first.document._id, first.lease, { done: true }), false);
      expectEqual('new holder releases', await releaseLease(store, 'contract_fencing', second!.document._id, second!.lease, { done: true }), true);
      return 'stale token refused, current token accepted';
    },
  },
  {
    name: 'a state change checks the expected state and appends history atomically',
    async run({ store }) {
      const db = store.connection.db!;
      await db.collection('contract_history').drop().catch(() => undefined);
      await db.collection('contract_history').insertOne({ _id: 'inc-1', state: 'new', history: [] } as never);
      const at = new Date('2026-03-02T07:00:00Z');
      const first = await changeState(store, { collection: 'contract_history', id: 'inc-1', from: 'new', to: 'triage', who: 'classifier', why: 'классифицировано', at });
      const stale = await changeState(store, { collection: 'contract_history', id: 'inc-1', from: 'new', to: 'rejected', who: 'curator', why: 'устаревшая карточка', at });
      const second = await changeState(store, { collection: 'contract_history', id: 'inc-1', from: 'triage', to: 'assigned', who: 'curator', why: 'ЖКХ', at, set: { department: 'zhkh' } });
      expectEqual('first, stale, second applied', [first, stale, second], [true, false, true]);
      const doc = await db.collection('contract_history').findOne({ _id: 'inc-1' as never });
      expectEqual('state', doc?.state, 'assigned');
      expectEqual('field set with the change', doc?.department, 'zhkh');
      expectEqual('history', (doc?.history as Array<{ from: string; to: string }>).map((h) => `${h.from}→${h.to}`), ['new→triage', 'triage→assigned']);
      return 'stale change refused, history in order';
    },
  },
  {
    name: 'a sequence ($inc upsert) hands out every number once under concurrency',
    async run({ store }) {
      const numbers = await Promise.all(Array.from({ length: 200 }, () => nextSequenceValue(store, 'contract-seq')));
      expectEqual('distinct numbers', new Set(numbers).size, 200);
      expectEqual('range', [Math.min(...numbers), Math.max(...numbers)], [1, 200]);
      return '200 concurrent increments, 200 distinct numbers';
    },
  },
  {
    name: 'concurrent upserts of one record: exactly one caller creates it (record before publishing)',
    async run({ store }) {
      const collection = store.connection.db!.collection('contract_upserts');
      await collection.drop().catch(() => undefined);
      const befores = await Promise.all(
        Array.from({ length: 50 }, (_, i) => collection.findOneAndUpdate({ _id: 'answer-1|chat:42' as never }, { $setOnInsert: { caller: i } }, { upsert: true, returnDocument: 'before' })),
      );
      const creators = befores.filter((b) => b === null).length;
      expectEqual('callers told they were first', creators, 1);
      expectEqual('records', await collection.countDocuments({}), 1);
      const winner = (await collection.findOne({}))?.caller;
      expectEqual('every other caller saw the winner\'s record', befores.filter((b) => b !== null).every((b) => b!.caller === winner), true);
      return '50 concurrent upserts, 1 creator';
    },
  },
  {
    name: 'aggregation: $match and $group with several accumulators',
    async run({ store }) {
      const incidents = await seedIncidents(store);
      const rows = await store.connection.db!.collection('contract_incidents').aggregate([
        { $match: { network: { $in: [...NETWORKS] } } },
        { $group: { _id: '$network', count: { $sum: 1 }, minutes: { $sum: '$answerMinutes' }, avg: { $avg: '$answerMinutes' }, min: { $min: '$answerMinutes' }, max: { $max: '$answerMinutes' } } },
        { $sort: { _id: 1 } },
      ]).toArray();
      const expected = [...NETWORKS].sort().map((network) => {
        const subset = incidents.filter((i) => i.network === network).map((i) => i.answerMinutes);
        const sum = subset.reduce((a, b) => a + b, 0);
        return { _id: network, count: subset.length, minutes: sum, avg: sum / subset.length, min: Math.min(...subset), max: Math.max(...subset) };
      });
      expectEqual('per network', rows.map((r) => ({ ...r, avg: Math.round(r.avg * 1e6) / 1e6 })), expected.map((r) => ({ ...r, avg: Math.round(r.avg * 1e6) / 1e6 })));
      return `${rows.length} groups, 5 accumulators each`;
    },
  },
  {
    name: 'aggregation: $cond inside $sum (deadlines met and missed per department)',
    async run({ store }) {
      const incidents = await seedIncidents(store);
      const rows = await store.connection.db!.collection('contract_incidents').aggregate([
        { $group: { _id: '$department', met: { $sum: { $cond: ['$met', 1, 0] } }, missed: { $sum: { $cond: [{ $eq: ['$met', false] }, 1, 0] } } } },
        { $sort: { _id: 1 } },
      ]).toArray();
      const expected = [...DEPARTMENTS].sort().map((d) => ({ _id: d, met: incidents.filter((i) => i.department === d && i.met).length, missed: incidents.filter((i) => i.department === d && !i.met).length }));
      expectEqual('met/missed', rows, expected);
      return 'matches JavaScript';
    },
  },
  {
    name: 'aggregation: $dateToString by day in the tenant time zone',
    async run({ store }) {
      const incidents = await seedIncidents(store);
      const rows = await store.connection.db!.collection('contract_incidents').aggregate([
        { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$createdAt', timezone: 'Europe/Moscow' } }, count: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ]).toArray();
      const expected = countBy(incidents, (i) => DateTime.fromJSDate(i.createdAt, { zone: 'Europe/Moscow' }).toISODate()!);
      expectEqual('per Moscow day', Object.fromEntries(rows.map((r) => [r._id, r.count])), Object.fromEntries(Object.entries(expected).sort()));
      return `${rows.length} days`;
    },
  },
  {
    name: 'aggregation: hour of day in the tenant time zone and a $group on two fields (alerts, top problems)',
    async run({ store }) {
      const incidents = await seedIncidents(store);
      const [facets] = await store.connection.db!.collection('contract_incidents').aggregate([
        { $facet: {
          hours: [{ $group: { _id: { $dateToString: { format: '%H', date: '$createdAt', timezone: 'Asia/Sakhalin' } }, count: { $sum: 1 } } }, { $sort: { _id: 1 } }],
          pairs: [{ $group: { _id: { department: '$department', network: '$network' }, count: { $sum: 1 }, first: { $min: '$createdAt' } } }, { $sort: { count: -1, '_id.department': 1, '_id.network': 1 } }, { $limit: 3 }],
        } },
      ]).toArray();
      const hours = countBy(incidents, (i) => DateTime.fromJSDate(i.createdAt, { zone: 'Asia/Sakhalin' }).toFormat('HH'));
      expectEqual('per Sakhalin hour', Object.fromEntries((facets?.hours as Array<{ _id: string; count: number }>).map((r) => [r._id, r.count])), Object.fromEntries(Object.entries(hours).sort()));
      const pairs = countBy(incidents, (i) => `${i.department}|${i.network}`);
      // Ties in the order the server sorts them: by department, then network, each as a plain string.
      const byCode = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
      const top = Object.entries(pairs)
        .sort((a, b) => b[1] - a[1] || byCode(a[0].split('|')[0]!, b[0].split('|')[0]!) || byCode(a[0].split('|')[1]!, b[0].split('|')[1]!))
        .slice(0, 3);
      expectEqual('top (department, network) pairs', (facets?.pairs as Array<{ _id: { department: string; network: string }; count: number }>).map((r) => [`${r._id.department}|${r._id.network}`, r.count]), top);
      return `${Object.keys(hours).length} hours, ${Object.keys(pairs).length} pairs`;
    },
  },
  {
    name: 'aggregation: $facet, $unwind, $addToSet, $push, $project, $limit, $count',
    async run({ store }) {
      const incidents = await seedIncidents(store);
      const [facets] = await store.connection.db!.collection('contract_incidents').aggregate([
        { $facet: {
          total: [{ $count: 'n' }],
          tags: [{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
          networksByDepartment: [{ $group: { _id: '$department', networks: { $addToSet: '$network' }, ids: { $push: '$_id' } } }, { $sort: { _id: 1 } }, { $project: { _id: 1, networkCount: { $size: '$networks' }, idCount: { $size: '$ids' } } }],
          slowest: [{ $sort: { answerMinutes: -1, _id: 1 } }, { $limit: 3 }, { $project: { _id: 1, answerMinutes: 1 } }],
        } },
      ]).toArray();
      const tagCounts = countBy(incidents.flatMap((i) => i.tags), (t) => t);
      expectEqual('$count', facets?.total, [{ n: incidents.length }]);
      expectEqual('$unwind + $group', facets?.tags, Object.entries(tagCounts).sort().map(([tag, n]) => ({ _id: tag, n })));
      expectEqual('$addToSet/$push + $size', facets?.networksByDepartment, [...DEPARTMENTS].sort().map((d) => ({ _id: d, networkCount: new Set(incidents.filter((i) => i.department === d).map((i) => i.network)).size, idCount: incidents.filter((i) => i.department === d).length })));
      const slowest = [...incidents].sort((a, b) => b.answerMinutes - a.answerMinutes || a._id - b._id).slice(0, 3).map((i) => ({ _id: i._id, answerMinutes: i.answerMinutes }));
      expectEqual('$sort + $limit + $project', facets?.slowest, slowest);
      return '4 facets match JavaScript';
    },
  },
  {
    name: 'aggregation: $lookup joins departments',
    async run({ store }) {
      const incidents = await seedIncidents(store);
      const rows = await store.connection.db!.collection('contract_incidents').aggregate([
        { $match: { _id: { $lt: 20 } } },
        { $lookup: { from: 'contract_departments', localField: 'department', foreignField: 'code', as: 'dept' } },
        { $unwind: '$dept' },
        { $project: { _id: 1, name: '$dept.name' } },
        { $sort: { _id: 1 } },
      ]).toArray();
      const expected = incidents.filter((i) => i._id < 20).map((i) => ({ _id: i._id, name: `Отдел ${DEPARTMENTS.indexOf(i.department as never) + 1}` }));
      expectEqual('joined names', rows, expected);
      return `${rows.length} rows joined`;
    },
  },
  {
    name: 'queries: case-insensitive $regex (no $text), $exists, $ne, $in',
    async run({ store }) {
      const db = store.connection.db!;
      await db.collection('contract_texts').drop().catch(() => undefined);
      await db.collection('contract_texts').insertMany([
        { _id: 1, text: 'Нет ВОДЫ на улице Ленина', topic: 'ЖКХ' },
        { _id: 2, text: 'яма на дороге', topic: 'дороги' },
        { _id: 3, text: 'когда дадут воду?' },
      ] as never[]);
      const regex = await db.collection('contract_texts').find({ text: { $regex: 'вод', $options: 'i' } }).sort({ _id: 1 }).toArray();
      expectEqual('$regex /вод/i', regex.map((d) => d._id), [1, 3]);
      expectEqual('$exists', (await db.collection('contract_texts').find({ topic: { $exists: false } }).toArray()).map((d) => d._id), [3]);
      expectEqual('$ne + $in', (await db.collection('contract_texts').find({ topic: { $ne: 'ЖКХ', $in: ['ЖКХ', 'дороги'] } }).toArray()).map((d) => d._id), [2]);
      return 'Cyrillic case folding works';
    },
  },
];

export interface ContractResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

export async function runContract(context: ContractContext, onResult: (result: ContractResult) => void = () => {}): Promise<ContractResult[]> {
  const results: ContractResult[] = [];
  for (const check of CONTRACT_CHECKS) {
    const started = Date.now();
    let result: ContractResult;
    try {
      result = { name: check.name, ok: true, detail: await check.run(context), ms: Date.now() - started };
    } catch (error) {
      result = { name: check.name, ok: false, detail: error instanceof Error ? error.message : String(error), ms: Date.now() - started };
    }
    results.push(result);
    onResult(result);
  }
  return results;
}

/**
 * The suite against a store opened with `openStore` (its own scratch database): what
 * `otklik store check` and the CI test run. `uri` is where the child processes connect.
 */
export async function checkStore(store: import('../port.js').Store, uri: string, onResult?: (result: ContractResult) => void): Promise<ContractResult[]> {
  const { dbOf } = await import('../connection.js');
  return runContract({ store: dbOf(store), uri, dbName: store.dbName }, onResult);
}
