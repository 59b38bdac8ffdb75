import type { Db } from './db.js';
import { counterModel } from './models/counter.js';

/**
 * The first of `count` consecutive numbers of a named sequence (e.g. a tenant's incident
 * numbers), reserved atomically: a batch of incidents is numbered with one round trip.
 *
 * Why "before" and not returnDocument "after": the contract suite found that
 * mongo-java-server applies concurrent $inc atomically but answers "after" with a second
 * read, so two callers can be handed the same value (144 distinct of 200). The document as
 * it was before this call's own update is consistent on both servers.
 */
export async function reserveSequence(db: Db, name: string, count: number): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot reserve ${count} numbers of "${name}"`);
  const Counter = counterModel(db.connection);
  await Counter.updateOne({ _id: name }, { $setOnInsert: { value: 0 } }, { upsert: true }).catch((error: { code?: number }) => {
    // Two first callers raced to create it: the other one did, which is all we need.
    if (error.code !== 11000) throw error;
  });
  const before = await Counter.findOneAndUpdate({ _id: name }, { $inc: { value: count } }, { new: false, lean: true }).exec();
  if (!before) throw new Error(`sequence "${name}" vanished while being advanced`);
  return (before as unknown as { value: number }).value + 1;
}

/** The next number of a named sequence. */
export function nextSequenceValue(db: Db, name: string): Promise<number> {
  return reserveSequence(db, name, 1);
}

/** The last number given (0: none yet). */
export async function sequenceValue(db: Db, name: string): Promise<number> {
  const doc = await counterModel(db.connection).findOne({ _id: name }).lean().exec();
  return (doc as unknown as { value?: number } | null)?.value ?? 0;
}
