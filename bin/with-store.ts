import { openStore, type Store } from '../store/connection.js';

/**
 * Runs one CLI command with the store open. Without MONGODB_URI the embedded server is
 * used: the one pm2 runs if it answers, otherwise one started for this command alone.
 */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ embedded: 'if-not-running' });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
