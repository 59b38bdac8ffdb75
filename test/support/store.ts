import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../store/connection.js';

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
  await store.connection.dropDatabase();
  await store.close();
}
