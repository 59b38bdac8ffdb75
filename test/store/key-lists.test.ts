import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deleteByIds, findIn, KEYS_PER_QUERY } from '../../store/key-lists.js';
import type { Store } from '../../store/port.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

/**
 * Long key lists are asked for in parts (the embedded store's `$in` costs the square of the
 * list): what comes back must be what one query would give, across the parts' borders.
 */
describe('key lists in parts', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('key-lists');
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  it('finds every marked threshold of a sweep longer than one part, and none that is not marked', async () => {
    const at = new Date('2026-10-15T09:00:00Z');
    const marked = Array.from({ length: KEYS_PER_QUERY * 2 + 37 }, (_, i) => `zarechensk:${i + 1}:triage:1760518800000:overdue`);
    for (const key of marked) await store.deadlines.mark(key, at);
    const unmarked = Array.from({ length: 300 }, (_, i) => `zarechensk:${i + 1}:answer:1760518800000:due-soon`);
    // Interleaved, so that every part holds both kinds.
    const asked = marked.flatMap((key, i) => (i < unmarked.length ? [key, unmarked[i]!] : [key]));

    const found = await store.deadlines.marked(asked);

    expect(found.size).toBe(marked.length);
    expect([...found].sort()).toEqual([...marked].sort());
  });

  it('keeps the projection, finds by a unique field other than _id, and deletes across parts', async () => {
    const c = rawDb(store).collection<{ _id: string; ref: string; body: string }>('keyListProbe');
    await c.createIndex({ ref: 1 }, { unique: true });
    const docs = Array.from({ length: KEYS_PER_QUERY + 120 }, (_, i) => ({ _id: `d${i}`, ref: `r${i}`, body: 'x'.repeat(20) }));
    await c.insertMany(docs);

    const byRef = await findIn(c, 'ref', docs.map((d) => d.ref).reverse(), { projection: { ref: 1 } });
    expect(byRef).toHaveLength(docs.length);
    expect(byRef.every((d) => d.body === undefined)).toBe(true);

    const gone = docs.slice(0, KEYS_PER_QUERY + 100).map((d) => d._id);
    expect(await deleteByIds(c, [...gone, 'never-there'])).toBe(gone.length);
    expect((await c.find({}).toArray()).map((d) => d._id).sort()).toEqual(docs.slice(KEYS_PER_QUERY + 100).map((d) => d._id).sort());
  });
});
