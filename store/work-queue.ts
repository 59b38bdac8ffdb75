import type { Store } from './connection.js';
import { claimOne, releaseLease, type Lease } from './leases.js';
import { workItemModel } from './models/work-item.js';

export interface WorkItem<P = unknown> {
  readonly _id: string;
  readonly kind: string;
  readonly tenant: string;
  readonly ref: string;
  readonly payload: P;
  readonly attempts: number;
  readonly availableAt: Date;
  readonly lastError: string | null;
  readonly enqueuedAt: Date;
}

export interface NewWork<P = unknown> {
  readonly kind: string;
  readonly tenant: string;
  readonly ref: string;
  readonly payload?: P;
  readonly availableAt?: Date;
}

export interface ClaimedWork<P = unknown> {
  readonly item: WorkItem<P>;
  readonly lease: Lease;
}

const COLLECTION = 'workItems';

export function workId(kind: string, tenant: string, ref: string): string {
  return `${kind}:${tenant}:${ref}`;
}

/**
 * Records work to be done, idempotently (the id is kind + tenant + ref). Callers enqueue the
 * intent *before* the state change it follows from, so a crash in between leaves work
 * that finds nothing to do, never a state change that nobody acts on.
 */
export async function enqueueWork(store: Store, items: readonly NewWork[], now: Date = new Date()): Promise<number> {
  if (items.length === 0) return 0;
  const docs = items.map((w) => ({ _id: workId(w.kind, w.tenant, w.ref), kind: w.kind, tenant: w.tenant, ref: w.ref, payload: w.payload ?? null, availableAt: w.availableAt ?? now, attempts: 0, lastError: null, enqueuedAt: now, lease: null }));
  try {
    await store.connection.db!.collection(workItemModel(store.connection).collection.name).insertMany(docs as never[], { ordered: false });
    return docs.length;
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ code?: number }> | { code?: number } }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length === 0 || list.some((e) => e.code !== 11000)) throw error;
    return docs.length - list.length;
  }
}

export async function claimWork<P = unknown>(store: Store, kinds: readonly string[], owner: string, now: Date, leaseMs: number): Promise<ClaimedWork<P> | null> {
  const claimed = await claimOne<WorkItem<P> & { _id: string }>(store, {
    collection: COLLECTION,
    filter: { kind: { $in: [...kinds] }, availableAt: { $lte: now } },
    owner,
    now,
    leaseMs,
    sort: { availableAt: 1, _id: 1 },
  });
  return claimed ? { item: claimed.document, lease: claimed.lease } : null;
}

/** Done: the item leaves the queue. False when the lease was lost (someone else holds it). */
export async function completeWork(store: Store, claimed: ClaimedWork): Promise<boolean> {
  const result = await store.connection.db!.collection(COLLECTION).deleteOne({ _id: claimed.item._id as never, 'lease.token': claimed.lease.token });
  return result.deletedCount === 1;
}

/** Not now: back to the queue after `availableAt`, with the error kept for Compass. */
export async function retryWorkLater(store: Store, claimed: ClaimedWork, availableAt: Date, error: string): Promise<boolean> {
  return releaseLease(store, COLLECTION, claimed.item._id, claimed.lease, { availableAt, attempts: claimed.item.attempts + 1, lastError: error });
}

/**
 * Not now, and not a failure: the network asked us to wait (a rate limit with its own
 * wait), so the item returns after `availableAt` without spending an attempt (STYLE 5).
 */
export async function postponeWork(store: Store, claimed: ClaimedWork, availableAt: Date, note: string): Promise<boolean> {
  return releaseLease(store, COLLECTION, claimed.item._id, claimed.lease, { availableAt, lastError: note });
}

export async function pendingWork(store: Store, kind?: string): Promise<number> {
  return store.connection.db!.collection(COLLECTION).countDocuments(kind ? { kind } : {});
}
