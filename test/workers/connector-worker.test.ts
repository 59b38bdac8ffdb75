import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import type { Store } from '../../store/connection.js';
import { dropTestStore, openTestStore, rawDb, testStoreUri } from '../support/store.js';

/** The example municipality with its accounts pointed at this test's sandbox. */
function exampleTenantAt(sandboxUrl: string) {
  const raw = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as { accounts: Array<{ apiBaseUrl?: string }> };
  for (const account of raw.accounts) account.apiBaseUrl = account.apiBaseUrl?.replace('http://127.0.0.1:8787', sandboxUrl);
  return tenantFileSchema.parse(raw);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 40000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('connector worker against the sandbox (real clients, embedded store)', () => {
  let store: Store;
  let sandbox: Sandbox;
  beforeAll(async () => {
    store = await openTestStore('connworker');
    sandbox = await startSandbox({ port: 0 });
    await store.tenants.importFile(exampleTenantAt(sandbox.url));
  });
  afterAll(async () => {
    await sandbox.stop();
    await dropTestStore(store);
  });

  it.each(['vk', 'telegram', 'ok', 'max'] as const)('%s: messages the network shows become stored messages with their classification queued; a restart stores none twice', async (network) => {
    const env = { ...process.env, MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: store.dbName, OTKLIK_SANDBOX_URL: sandbox.url, LOG_LEVEL: 'warn' };
    const run = () => spawn(process.execPath, ['--import', 'tsx', 'workers/launch.js', 'connector', network], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const messages = rawDb(store).collection('messages');
    let worker = run();
    // A first run starts from "now" (no history backfill), so emit once it is polling.
    await waitFor(`${network} cursor`, async () => ((await rawDb(store).collection('networkCursors').countDocuments({ network })) > 0 ? true : undefined));
    // Complaints: each is taken, even in a town chat (the one that is a mention names the
    // administration), whereas thanks there («Спасибо администрации») rightly are not.
    sandbox.emit(network, 4, 'complaint');
    const firstCount = await waitFor(`${network} messages`, async () => {
      const n = await messages.countDocuments({ network });
      return n >= 4 ? n : undefined;
    });
    worker.kill('SIGTERM');
    expect(await new Promise((resolve) => worker.once('exit', resolve))).toBe(0);

    // Written while the worker is down: the stored cursor picks them up after the restart.
    sandbox.emit(network, 2, 'complaint');
    worker = run();
    await waitFor(`${network} messages after restart`, async () => ((await messages.countDocuments({ network })) >= firstCount + 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));

    const stored = await messages.find({ network }).toArray();
    expect(new Set(stored.map((m) => m.externalId)).size).toBe(stored.length);
    expect(stored.length).toBe(firstCount + 2);
    for (const m of stored) {
      expect(m.tenant).toBe('zarechensk');
      expect(typeof m.text).toBe('string');
      expect(m.author.id).toEqual(expect.any(String));
    }
    // Every stored message is named by a queued classification item (one per fetched batch).
    const queued = (await rawDb(store).collection('work.classify').find({ ref: { $regex: `^${network}:` } }).toArray()).flatMap((j) => (j.payload as { messages: string[] }).messages);
    expect(new Set(queued)).toEqual(new Set(stored.map((m) => String(m._id))));
  });
});
