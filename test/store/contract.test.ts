import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dbOf, type Store } from '../../store/connection.js';
import { CONTRACT_CHECKS } from '../../store/contract/checks.js';
import { dropTestStore, openTestStore, testStoreUri } from '../support/store.js';

// The same checks `otklik store check` runs against a production MongoDB.
describe('store contract (embedded mongo-java-server, H2 backend)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('contract');
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  for (const check of CONTRACT_CHECKS) {
    it(check.name, async () => {
      const detail = await check.run({ store: dbOf(store), uri: testStoreUri(), dbName: store.dbName });
      expect(detail).toEqual(expect.any(String));
    });
  }
});
