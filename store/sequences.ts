import type { Store } from './connection.js';
import { counterModel } from './models/counter.js';

/**
 * The next number of a named sequence (e.g. a tenant's incident numbers), atomically.
 *
 * Why "before" + 1 and not returnDocument "after": the contract suite found that
 * mongo-java-server applies concurrent $inc atomically but answers "after" with a
 * second read, so two callers can be handed the same value (144 distinct of 200). The
 * document as it was before this call's own update is consistent on both servers.
 */
export async function nextSequenceValue(store: Store, name: string): Promise<number> {
  const Counter = counterModel(store.connection);
  await Counter.updateOne({ _id: name }, { $setOnInsert: { value: 0 } }, { upsert: true }).catch((error: { code?: number }) => {
    // Two first callers raced to create it: the other one did, which is all we need.
    if (error.code !== 11000) throw error;
  });
  const before = await Counter.findOneAndUpdate({ _id: name }, { $inc: { value: 1 } }, { new: false, lean: true }).exec();
  if (!before) throw new Error(`sequence "${name}" vanished while being advanced`);
  return (before as unknown as { value: number }).value + 1;
}
