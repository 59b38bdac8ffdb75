import { pathToFileURL } from 'node:url';
import { dbOf, openStore } from '../connection.js';
import { claimOne } from '../leases.js';

/**
 * A separate OS process for the contract suite's concurrency checks.
 *   drain URI DB COLLECTION OWNER  — claims until nothing is left, prints one id a line
 *   hold  URI DB COLLECTION OWNER LEASE_MS — claims one, prints "HELD id", waits to be killed
 */
export async function main(argv: string[]): Promise<void> {
  const [mode, uri, dbName, collection, owner, leaseMsText] = argv;
  if (!mode || !uri || !dbName || !collection || !owner) throw new Error('usage: claimer drain|hold URI DB COLLECTION OWNER [LEASE_MS]');
  const store = await openStore({ uri, dbName, connectTimeoutMs: 10000 });
  if (mode === 'drain') {
    const ids: string[] = [];
    for (;;) {
      const claimed = await claimOne<{ _id: unknown }>(dbOf(store), { collection, filter: { done: false }, owner, now: new Date(), leaseMs: 600000 });
      if (!claimed) break;
      ids.push(String(claimed.document._id));
    }
    process.stdout.write(ids.join('\n') + '\n');
    await store.close();
    return;
  }
  const claimed = await claimOne<{ _id: unknown }>(dbOf(store), { collection, filter: { done: false }, owner, now: new Date(), leaseMs: Number(leaseMsText ?? 2000) });
  process.stdout.write(`HELD ${claimed ? String(claimed.document._id) : 'none'}\n`);
  await new Promise(() => undefined);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
