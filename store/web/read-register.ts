import type { ReadEntry } from '../../web/ports.js';
import type { Store } from '../port.js';

/**
 * The workplace's card views go to the one read register the staff bot writes too
 * (store.incidents.recordRead, store/read-register.ts: one upsert by `_id` per view).
 */
export async function recordRead(store: Store, entry: ReadEntry): Promise<void> {
  await store.incidents.recordRead({ tenant: entry.tenant, number: entry.number, who: entry.who, at: entry.at, via: 'web', personalData: entry.personalData });
}

export async function readsOf(store: Store, tenant: string, number: number, limit: number): Promise<ReadEntry[]> {
  return (await store.incidents.readsOf(tenant, number, limit)).map((r) => ({ tenant: r.tenant, number: r.number, who: r.who, at: r.at, personalData: r.personalData }));
}
