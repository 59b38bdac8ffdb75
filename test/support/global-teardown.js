import fs from 'node:fs';

export default async function globalTeardown() {
  const store = globalThis.__otklikTestStore;
  if (!store) return;
  await store.stop();
  const dataDir = process.env.OTKLIK_TEST_DATA_DIR;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
