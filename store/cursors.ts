import type { Store } from './connection.js';
import { networkCursorModel } from './models/network-cursor.js';
import { escapeKeys } from './sanitize.js';

/**
 * Where each account's polling resumes. Saved by the poll loop only after the messages
 * it covers are stored (connectors/poll.ts).
 */
export async function loadCursor(store: Store, tenant: string, network: string, account: string, stream = 'default'): Promise<unknown> {
  const found = await networkCursorModel(store.connection).findOne({ tenant, network, account, stream }).lean().exec();
  return found ? found.value : null;
}

export async function saveCursor(store: Store, tenant: string, network: string, account: string, value: unknown, stream = 'default'): Promise<void> {
  await networkCursorModel(store.connection)
    .updateOne({ tenant, network, account, stream }, { $set: { value: escapeKeys(value), updatedAt: new Date() } }, { upsert: true })
    .exec();
}
