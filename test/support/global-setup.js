// Plain JavaScript: jest loads globalSetup outside its module mapper, so the TypeScript
// launcher is imported through tsx, the same loader the workers run under.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

/**
 * One real embedded server (mongo-java-server, H2 backend, a data file) for the whole
 * run; each test file takes a fresh database on it (test/support/store.ts). With
 * MONGODB_URI set, the same suites run against that server instead.
 */
export default async function globalSetup() {
  if (process.env.MONGODB_URI) {
    process.env.OTKLIK_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const { startEmbeddedStore } = await tsImport('../../store/embedded/server.ts', import.meta.url);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-test-store-'));
  const store = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir, heapMb: 384 });
  process.env.OTKLIK_TEST_MONGODB_URI = store.uri;
  process.env.OTKLIK_TEST_DATA_DIR = dataDir;
  globalThis.__otklikTestStore = store;
}
