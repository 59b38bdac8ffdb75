import type { Db } from './db.js';
import { networkCursorModel } from './models/network-cursor.js';
import { escapeKeys } from './sanitize.js';

/**
 * Where each account's polling resumes. Saved by the poll loop only after the messages
 * it covers are stored (connectors/poll.ts).
 */
export async function loadCursor(db: Db, tenant: string, network: string, account: string, stream = 'default'): Promise<unknown> {
  const found = await networkCursorModel(db.connection).findOne({ tenant, network, account, stream }).lean().exec();
  return found ? found.value : null;
}

export async function saveCursor(db: Db, tenant: string, network: string, account: string, value: unknown, stream = 'default'): Promise<void> {
  await networkCursorModel(db.connection)
    .updateOne({ tenant, network, account, stream }, { $set: { value: escapeKeys(value), updatedAt: new Date() } }, { upsert: true })
    .exec();
}
