import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dbOf } from '../../store/connection.js';
import type { Store } from '../../store/port.js';
import { filedBetween, fileForWatch, slotMinute, unfile } from '../../store/watch-slots.js';
import { dropTestStore, openTestStore } from '../support/store.js';

describe('the watcher\'s minutes (embedded store)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('watch_slots');
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  const T0 = Date.parse('2026-11-30T06:10:00Z');
  const minute = slotMinute(T0);

  it('keeps every incident filed by writers racing into one minute, and gives back each once it is read', async () => {
    const db = dbOf(store);
    // Sixty writers at once, the first ones racing to create the minute's counter.
    await Promise.all(Array.from({ length: 60 }, (_, k) => fileForWatch(db, [{ id: `zarechensk:${k + 1}`, atMs: T0 + 5_000 }], T0)));
    const read = await filedBetween(db, minute - 5, minute);
    expect([...read.incidents].sort()).toEqual(Array.from({ length: 60 }, (_, k) => `zarechensk:${k + 1}`).sort());
    await unfile(db, read);
    expect((await filedBetween(db, minute - 5, minute)).incidents).toEqual([]);
    // Filed again after the read: the next read finds it, and only it.
    await fileForWatch(db, [{ id: 'zarechensk:61', atMs: T0 }], T0);
    expect((await filedBetween(db, minute - 5, minute)).incidents).toEqual(['zarechensk:61']);
  });

  it('never files under a minute before the writer\'s own, and keeps a later minute for later', async () => {
    const db = dbOf(store);
    // The next day, away from the minutes above.
    const T1 = T0 + 24 * 3600_000;
    const m1 = slotMinute(T1);
    await fileForWatch(db, [{ id: 'zarechensk:70', atMs: T1 - 3 * 3600_000 }, { id: 'zarechensk:71', atMs: T1 + 45 * 60_000 }], T1 + 120_000);
    expect((await filedBetween(db, m1 - 200, m1 + 1)).incidents).toEqual([]);
    expect((await filedBetween(db, m1 + 2, m1 + 2)).incidents).toEqual(['zarechensk:70']);
    expect((await filedBetween(db, m1 + 45, m1 + 45)).incidents).toEqual(['zarechensk:71']);
  });
});
