import { randomUUID } from 'node:crypto';
import type { ClaimedWork, DeadLetter, Lease, NewWork, WorkItem, WorkKind, WorkQueue } from './port.js';
import { collection, isDuplicateKey, writeErrorsOf, type Db } from './db.js';
import { WORK_KINDS, workCollectionName } from './models/work-item.js';
import { findIn } from './key-lists.js';

/**
 * The work queues (one collection per kind). A claim reads the oldest available items of
 * one queue — a scan, which is why a queue holds only pending work and a classify item
 * carries a whole fetched batch — and takes each with a compare-and-set on its lease token,
 * all in one bulk write whose filters name exactly the keys of the unique index
 * `{_id, lease.token}`: the store finds each document by that index instead of scanning.
 * Every renewal, completion and release presents the token (STYLE 8): a worker whose lease
 * was taken over after it expired changes nothing.
 *
 * `now` and lease lengths come in as parameters so tests control time (STYLE 7).
 */
interface StoredItem {
  _id: string;
  kind: WorkKind;
  tenant: string;
  ref: string;
  payload: unknown;
  availableAt: Date;
  attempts: number;
  lastError: string | null;
  enqueuedAt: Date;
  lease: Lease | null;
}

const DEAD_LETTERS = 'work.dead';

function queue(db: Db, kind: WorkKind) {
  return collection<StoredItem>(db, workCollectionName(kind));
}

export function workItemId(tenant: string, ref: string): string {
  return `${tenant}:${ref}`;
}

function toItem<P>(doc: StoredItem): WorkItem<P> {
  return {
    id: doc._id, kind: doc.kind, tenant: doc.tenant, ref: doc.ref, payload: doc.payload as P, attempts: doc.attempts ?? 0,
    availableAt: doc.availableAt, lastError: doc.lastError ?? null, enqueuedAt: doc.enqueuedAt,
  };
}

/** The queue item as it was before this claim: its token (or null) is the compare-and-set's expected value. */
function tokenOf(doc: Pick<StoredItem, 'lease'>): string | null {
  return doc.lease?.token ?? null;
}

export async function enqueue<P>(db: Db, kind: WorkKind, items: readonly NewWork<P>[], now: Date): Promise<number> {
  if (items.length === 0) return 0;
  const docs: StoredItem[] = items.map((w) => ({
    _id: workItemId(w.tenant, w.ref), kind, tenant: w.tenant, ref: w.ref, payload: w.payload ?? null,
    availableAt: w.availableAt ?? now, attempts: 0, lastError: null, enqueuedAt: now, lease: null,
  }));
  try {
    await queue(db, kind).insertMany(docs, { ordered: false });
    return docs.length;
  } catch (error) {
    // Already queued (the same batch fetched again, a step retried): that is the point of the id.
    const errors = writeErrorsOf(error);
    if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw error;
    return docs.length - errors.length;
  }
}

export async function claim<P>(db: Db, kind: WorkKind, owner: string, now: Date, leaseMs: number, limit: number, refs?: readonly string[]): Promise<ClaimedWork<P>[]> {
  // Candidates: available and not held (or held past the lease: its holder died).
  const candidates = await queue(db, kind)
    .find({ availableAt: { $lte: now }, $or: [{ lease: null }, { 'lease.until': { $lte: now } }], ...(refs ? { ref: { $in: [...refs] } } : {}) })
    .sort({ availableAt: 1, _id: 1 })
    .limit(limit)
    .toArray();
  if (candidates.length === 0) return [];
  const lease: Lease = { owner, token: randomUUID(), until: new Date(now.getTime() + leaseMs) };
  const result = await queue(db, kind).bulkWrite(
    candidates.map((c) => ({ updateOne: { filter: { _id: c._id, 'lease.token': tokenOf(c) }, update: { $set: { lease } } } })),
    { ordered: false },
  );
  let won = candidates;
  if (result.matchedCount !== candidates.length) {
    // Another worker took some between our read and our write: keep the ones holding our token.
    const held = await findIn(queue(db, kind), '_id', candidates.map((c) => c._id), { projection: { lease: 1 } });
    const ours = new Set(held.filter((h) => h.lease?.token === lease.token).map((h) => h._id));
    won = candidates.filter((c) => ours.has(c._id));
  }
  return won.map((c) => ({ item: toItem<P>(c), lease }));
}

export async function renew<P>(db: Db, kind: WorkKind, held: readonly ClaimedWork<P>[], now: Date, leaseMs: number): Promise<ClaimedWork<P>[]> {
  if (held.length === 0) return [];
  const renewed = held.map((h) => ({ ...h, lease: { ...h.lease, until: new Date(now.getTime() + leaseMs) } }));
  const result = await queue(db, kind).bulkWrite(
    renewed.map((h) => ({ updateOne: { filter: { _id: h.item.id, 'lease.token': h.lease.token }, update: { $set: { 'lease.until': h.lease.until } } } })),
    { ordered: false },
  );
  if (result.matchedCount === held.length) return renewed;
  const still = await findIn(queue(db, kind), '_id', held.map((h) => h.item.id), { projection: { lease: 1 } });
  const ours = new Set(still.filter((s) => held.some((h) => h.item.id === s._id && h.lease.token === s.lease?.token)).map((s) => s._id));
  return renewed.filter((h) => ours.has(h.item.id));
}

export async function complete(db: Db, kind: WorkKind, held: readonly ClaimedWork[]): Promise<number> {
  if (held.length === 0) return 0;
  const result = await queue(db, kind).bulkWrite(
    held.map((h) => ({ deleteOne: { filter: { _id: h.item.id, 'lease.token': h.lease.token } } })),
    { ordered: false },
  );
  return result.deletedCount;
}

async function release(db: Db, kind: WorkKind, held: ClaimedWork, set: Partial<StoredItem>): Promise<boolean> {
  const result = await queue(db, kind).updateOne({ _id: held.item.id, 'lease.token': held.lease.token }, { $set: { ...set, lease: null } });
  return result.matchedCount === 1;
}

export function retryLater(db: Db, kind: WorkKind, held: ClaimedWork, availableAt: Date, error: string): Promise<boolean> {
  return release(db, kind, held, { availableAt, attempts: held.item.attempts + 1, lastError: error });
}

export function postpone(db: Db, kind: WorkKind, held: ClaimedWork, availableAt: Date, note: string, payload?: unknown): Promise<boolean> {
  return release(db, kind, held, { availableAt, lastError: note, ...(payload === undefined ? {} : { payload }) });
}

/**
 * Moves a poison item to the dead letters: written there first, then removed from its
 * queue under the lease, so a crash in between leaves it in both places (the queue's copy
 * is retried and buried again, idempotently), never in neither.
 */
export async function bury(db: Db, kind: WorkKind, held: ClaimedWork, error: string, now: Date): Promise<boolean> {
  const item = held.item;
  await collection(db, DEAD_LETTERS).replaceOne(
    { _id: `${kind}:${item.id}` as never },
    { kind, itemId: item.id, tenant: item.tenant, ref: item.ref, payload: item.payload ?? null, attempts: item.attempts + 1, lastError: error, enqueuedAt: item.enqueuedAt, buriedAt: now },
    { upsert: true },
  );
  const removed = await queue(db, kind).deleteOne({ _id: item.id, 'lease.token': held.lease.token });
  return removed.deletedCount === 1;
}

export async function deadLetters(db: Db, kind?: WorkKind): Promise<DeadLetter[]> {
  const docs = await collection(db, DEAD_LETTERS).find(kind ? { kind } : {}).sort({ buriedAt: 1 }).toArray();
  return docs.map((d) => ({
    id: String(d._id), kind: d.kind as WorkKind, tenant: d.tenant as string, ref: d.ref as string, payload: d.payload,
    attempts: d.attempts as number, lastError: (d.lastError as string | null) ?? null, buriedAt: d.buriedAt as Date, enqueuedAt: d.enqueuedAt as Date,
  }));
}

/** Back to its queue with its attempts reset: queued first, then taken off the dead letters. */
export async function resurrect(db: Db, ids: readonly string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const docs = await findIn(collection(db, DEAD_LETTERS), '_id', ids);
  let count = 0;
  for (const d of docs) {
    const kind = d.kind as WorkKind;
    if (!WORK_KINDS.includes(kind)) continue;
    try {
      await queue(db, kind).insertOne({
        _id: d.itemId as string, kind, tenant: d.tenant as string, ref: d.ref as string, payload: d.payload ?? null,
        availableAt: now, attempts: 0, lastError: null, enqueuedAt: now, lease: null,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await collection(db, DEAD_LETTERS).deleteOne({ _id: d._id });
    count += 1;
  }
  return count;
}

export function pending(db: Db, kind: WorkKind): Promise<number> {
  return queue(db, kind).countDocuments({});
}

export function workQueueOf(db: Db): WorkQueue {
  return {
    enqueue: (kind, items, now) => enqueue(db, kind, items, now),
    claim: (kind, owner, now, leaseMs, limit, refs) => claim(db, kind, owner, now, leaseMs, limit, refs),
    renew: (kind, held, now, leaseMs) => renew(db, kind, held, now, leaseMs),
    complete: (kind, held) => complete(db, kind, held),
    retryLater: (kind, held, at, error) => retryLater(db, kind, held, at, error),
    postpone: (kind, held, at, note, payload) => postpone(db, kind, held, at, note, payload),
    bury: (kind, held, error, now) => bury(db, kind, held, error, now),
    deadLetters: (kind) => deadLetters(db, kind),
    resurrect: (ids, now) => resurrect(db, ids, now),
    pending: (kind) => pending(db, kind),
  };
}
