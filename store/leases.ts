import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';

/**
 * Lease-based claiming shared by every worker that takes work from the store
 * (classifier, publisher, deadline watcher). A claim is one atomic findOneAndUpdate,
 * so two processes (or two machines sharing one MongoDB) never hold the same document;
 * an expired lease is claimable again, so work held by a killed process is not lost.
 * `now` and the lease length come in as parameters so tests control time (STYLE 7).
 */
export interface Lease {
  readonly owner: string;
  /** Present in the filter of every renewal and release (STYLE 8). */
  readonly token: string;
  readonly until: Date;
}

export interface ClaimRequest {
  readonly collection: string;
  /** What makes a document claimable, besides a free lease: e.g. `{ state: 'approved' }`. */
  readonly filter: Record<string, unknown>;
  readonly owner: string;
  readonly now: Date;
  readonly leaseMs: number;
  /** Oldest first by default, so no document starves. */
  readonly sort?: Record<string, 1 | -1>;
}

export interface Claimed<T> {
  readonly document: T;
  readonly lease: Lease;
}

export function freeLeaseFilter(now: Date): Record<string, unknown> {
  return { $or: [{ lease: null }, { lease: { $exists: false } }, { 'lease.until': { $lte: now } }] };
}

export async function claimOne<T extends { _id: unknown }>(db: Db, request: ClaimRequest): Promise<Claimed<T> | null> {
  const lease: Lease = { owner: request.owner, token: randomUUID(), until: new Date(request.now.getTime() + request.leaseMs) };
  // returnDocument "before": mongo-java-server re-reads for "after", which under
  // concurrency may show another writer's later change (see store/sequences.ts).
  const before = await db.connection.db!.collection(request.collection).findOneAndUpdate(
    { $and: [request.filter, freeLeaseFilter(request.now)] },
    { $set: { lease } },
    { sort: request.sort ?? { _id: 1 }, returnDocument: 'before' },
  );
  return before ? { document: { ...before, lease } as unknown as T, lease } : null;
}

/** Extends a held lease; false means it was lost (expired and taken): stop touching the document. */
export async function renewLease(db: Db, collection: string, id: unknown, lease: Lease, now: Date, leaseMs: number): Promise<Lease | null> {
  const renewed: Lease = { ...lease, until: new Date(now.getTime() + leaseMs) };
  const result = await db.connection.db!.collection(collection).updateOne({ _id: id as never, 'lease.token': lease.token }, { $set: { lease: renewed } });
  return result.matchedCount === 1 ? renewed : null;
}

/** Gives the document back (done or handed over); false means the lease had been lost. */
export async function releaseLease(db: Db, collection: string, id: unknown, lease: Lease, set: Record<string, unknown> = {}): Promise<boolean> {
  const result = await db.connection.db!.collection(collection).updateOne({ _id: id as never, 'lease.token': lease.token }, { $set: { ...set, lease: null } });
  return result.matchedCount === 1;
}
