import { randomBytes } from 'node:crypto';
import { dbOf, openStore, type Store } from '../../store/connection.js';
import { toIncident } from '../../store/incidents.js';
import type { StoredIncident } from '../../store/port.js';

export function testStoreUri(): string {
  const uri = process.env.OTKLIK_TEST_MONGODB_URI;
  if (!uri) throw new Error('OTKLIK_TEST_MONGODB_URI is not set: run tests through jest (its globalSetup starts the embedded server).');
  return uri;
}

/** A fresh database on the test server, for one test file; dropped by `dropTestStore`. */
export async function openTestStore(label = 'test'): Promise<Store> {
  const dbName = `${label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  return openStore({ uri: testStoreUri(), dbName, connectTimeoutMs: 10000 });
}

export async function dropTestStore(store: Store): Promise<void> {
  await store.maintenance.dropDatabase();
  await store.close();
}

/** The driver's database behind a store: for tests that look at or seed documents directly. */
export function rawDb(store: Store) {
  return dbOf(store).connection.db!;
}

/** Every incident, open (hot collection) or archived (one collection per month), as the store keeps them. */
export async function allIncidents(store: Store): Promise<StoredIncident[]> {
  const db = rawDb(store);
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n === 'incidents' || n.startsWith('incidents.archive.'));
  const byId = new Map<string, StoredIncident>();
  // The hot copy wins where a crash left an incident in both places.
  for (const name of names.sort((a, b) => (a === 'incidents' ? -1 : b === 'incidents' ? 1 : 0))) {
    for (const d of await db.collection(name).find({}).toArray()) if (!byId.has(String(d._id))) byId.set(String(d._id), toIncident(d as never));
  }
  return [...byId.values()].sort((a, b) => a.tenant.localeCompare(b.tenant) || a.number - b.number);
}
