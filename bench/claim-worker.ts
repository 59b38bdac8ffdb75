import { pathToFileURL } from 'node:url';
import { dbOf, openStore } from '../store/connection.js';
import { claimOne, releaseLease } from '../store/leases.js';

/**
 * One claiming process for bench/store.ts: claims until nothing is left, completing
 * each item either by deleting it and enqueueing a replacement while REFILL lasts (a
 * work queue that stays at a constant small depth while many items pass through), or
 * by marking it done (claimed documents pile up in the collection).
 * Prints "CLAIMED n ms".
 */
async function main([uri, dbName, collection, completion, owner, refillText]: string[]): Promise<void> {
  if (!uri || !dbName || !collection || !owner || (completion !== 'delete' && completion !== 'mark')) throw new Error('usage: claim-worker URI DB COLLECTION delete|mark OWNER [REFILL]');
  let refill = Number(refillText ?? 0);
  const store = await openStore({ uri, dbName });
  const db = dbOf(store).connection.db!;
  const started = Date.now();
  let claimed = 0;
  for (;;) {
    const item = await claimOne<{ _id: string }>(dbOf(store), { collection, filter: { done: false }, owner, now: new Date(), leaseMs: 60000 });
    if (!item) break;
    claimed++;
    if (completion === 'delete') {
      await db.collection(collection).deleteOne({ _id: item.document._id as never, 'lease.token': item.lease.token });
      if (refill > 0) {
        refill--;
        await db.collection(collection).insertOne({ _id: `${owner}-${refill}`, done: false, lease: null } as never);
      }
    }
    else await releaseLease(dbOf(store), collection, item.document._id, item.lease, { done: true });
  }
  process.stdout.write(`CLAIMED ${claimed} ${Date.now() - started}\n`);
  await store.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
