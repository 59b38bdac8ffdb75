import type { Db } from './db.js';
import type { Lease } from './leases.js';

export interface HistoryEntry {
  readonly who: string;
  readonly at: Date;
  readonly from: string | null;
  readonly to: string;
  readonly why: string;
}

export interface StateChange {
  readonly collection: string;
  readonly id: unknown;
  /** The state the caller saw; the change applies only if the document is still in it. */
  readonly from: string;
  readonly to: string;
  readonly who: string;
  readonly why: string;
  readonly at: Date;
  /** Other fields set in the same atomic update (deadlines, assignee, …). */
  readonly set?: Record<string, unknown>;
  /** When the caller holds a lease, the change applies only while it still does. */
  readonly lease?: Lease;
}

/**
 * One atomic update that checks the expected current state and appends the history
 * entry in the same write: no state change without its record, and a concurrent change
 * (another curator, another worker) makes this one a no-op that returns false.
 */
export async function changeState(db: Db, change: StateChange): Promise<boolean> {
  const entry: HistoryEntry = { who: change.who, at: change.at, from: change.from, to: change.to, why: change.why };
  const filter: Record<string, unknown> = { _id: change.id, state: change.from };
  if (change.lease) filter['lease.token'] = change.lease.token;
  const result = await db.connection.db!.collection(change.collection).updateOne(filter as never, {
    $set: { ...change.set, state: change.to, updatedAt: change.at },
    $push: { history: entry },
  } as never);
  return result.matchedCount === 1;
}
