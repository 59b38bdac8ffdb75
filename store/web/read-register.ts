import type { ReadEntry } from '../../web/ports.js';
import { dbOf, type Store } from '../connection.js';
import { readEntryModel } from './models/read-entry.js';

/** The read register: appended on every card view, read newest first by {tenant, number}. */
export async function recordRead(store: Store, entry: ReadEntry): Promise<void> {
  await readEntryModel(dbOf(store).connection).create({ ...entry });
}

export async function readsOf(store: Store, tenant: string, number: number, limit: number): Promise<ReadEntry[]> {
  const docs = await readEntryModel(dbOf(store).connection).find({ tenant, number }).lean().exec();
  return docs
    .map((d) => ({ tenant: d.tenant, number: d.number, who: d.who, at: d.at, personalData: d.personalData }))
    // Newest first; equal instants by who, so the order never depends on insertion.
    .sort((a, b) => b.at.getTime() - a.at.getTime() || a.who.localeCompare(b.who))
    .slice(0, limit);
}
