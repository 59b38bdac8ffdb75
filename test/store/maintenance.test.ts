import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store, TenantRuntime } from '../../store/port.js';
import { addIncident, importExampleTenant, TENANT } from '../support/report-data.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

/**
 * What a crash between two writes can leave, finished by the repair every watcher sweep
 * runs: an incident closed in the hot set whose move to its archive month did not happen,
 * and a clarification request whose author is not yet listed as awaited.
 */
describe('store repair after a crash', () => {
  let store: Store;
  let runtime: TenantRuntime;
  const at = new Date('2026-10-15T09:00:00Z');

  beforeAll(async () => {
    store = await openTestStore('maintenance');
    await importExampleTenant(store);
    runtime = await store.tenants.runtime(TENANT);
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  it('moves a closed incident left in the hot set to its archive month and lists an awaited author a crash did not write, in one pass that leaves the rest alone', async () => {
    const closed = await addIncident(store, runtime, { id: 'closed-left', detectedAt: at, topic: 'ЖКХ', location: null });
    const waiting = await addIncident(store, runtime, { id: 'waiting', detectedAt: at, topic: 'дороги', location: null });
    const open = await addIncident(store, runtime, { id: 'open', detectedAt: at, topic: 'транспорт', location: null });
    const db = rawDb(store);
    const hot = db.collection('incidents');
    await hot.updateOne({ _id: `${TENANT}:${closed}` as never }, { $set: { state: 'published' } });
    await hot.updateOne({ _id: `${TENANT}:${waiting}` as never }, { $set: { state: 'awaiting-author' } });
    const waitingDoc = (await hot.findOne({ _id: `${TENANT}:${waiting}` as never }))!;

    const report = await store.maintenance.repair();

    expect(report.archived).toBe(1);
    expect(await hot.findOne({ _id: `${TENANT}:${closed}` as never })).toBeNull();
    const archivedState = String((await db.collection(`incidents.archive.${TENANT}.${String(waitingDoc.archiveMonth)}`).findOne({ _id: `${TENANT}:${closed}` as never }))?.state);
    expect(archivedState).toBe('published');
    const awaited = await db.collection('awaitingReplies').findOne({ _id: `${TENANT}:${String(waitingDoc.network)}:${String(waitingDoc.authorId)}` as never });
    expect(awaited?.numbers).toEqual([waiting]);
    expect((await hot.findOne({ _id: `${TENANT}:${open}` as never }))?.state).toBe('triage');
    // Nothing left to finish: a second pass changes nothing.
    expect((await store.maintenance.repair()).archived).toBe(0);
    expect((await db.collection('awaitingReplies').findOne({ _id: awaited!._id }))?.numbers).toEqual([waiting]);
  });
});
