// The workplace's store side (store/web/) against the real embedded server: the inbox
// query and the open incidents it keeps, changes made by other processes, the closed
// queues, visibility by department, canned answers per tenant, the read register and
// the dashboard's figures.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../store/port.js';
import { openWebStore } from '../../store/web/index.js';
import type { InboxQuery, WebStore } from '../../web/ports.js';
import { QUEUES } from '../../web/queues.js';
import type { Actor } from '../../workflow/incident-machine.js';
import { dropTestStore, openTestStore } from '../support/store.js';
import { waitUntil } from '../support/worker-processes.js';
import { classifyAt, message } from './support/incidents.js';
import { exampleTenant, secondTenant } from './support/workplace.js';

const DETECTED = new Date('2026-11-24T07:00:00Z');
const NOW = new Date('2026-11-24T08:00:00Z');
const CURATOR: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };

function query(over: Partial<InboxQuery> = {}): InboxQuery {
  const set = (id: string) => {
    const q = QUEUES.find((x) => x.id === id)!;
    return { states: q.states, ...(q.manualCheck !== undefined ? { manualCheck: q.manualCheck } : {}) };
  };
  return {
    tenant: 'zarechensk', list: set('triage'), count: Object.fromEntries(QUEUES.filter((q) => q.counted).map((q) => [q.id, set(q.id)])),
    visibility: { kind: 'tenant' }, filters: {}, now: NOW, dueSoonMs: 4 * 3_600_000, page: 0, pageSize: 50, ...over,
  };
}

describe('store/web', () => {
  let store: Store;
  let web: WebStore & { stop(): void };

  beforeAll(async () => {
    store = await openTestStore('web_store');
    await store.tenants.importFile(exampleTenant());
    await store.tenants.importFile(secondTenant());
    // One by one: the numbers follow this order.
    for (const m of [
      message('vk', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'a1', DETECTED),
      message('telegram', 'На проспекте Победы огромная яма на дороге, администрация, отремонтируйте', 'a2', DETECTED),
      message('vk', 'В Сосновке на Центральной улице не горят фонари, ещё и ёлку не поставили', 'a3', DETECTED),
      message('vk', 'Пластиковые окна со скидкой 50%! Звоните прямо сейчас, выгодное предложение, купите окна', 'shop', DETECTED),
    ]) await classifyAt(store, [m], DETECTED);
    web = await openWebStore(store);
  }, 60_000);

  afterAll(async () => {
    web?.stop();
    await dropTestStore(store);
  }, 60_000);

  it('lists a queue by the next term and counts the open queues; rejected ones only when asked for', async () => {
    const page = await web.inbox(query());
    expect(page.rows.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(page.counts).toEqual({ triage: 3, executor: 0, review: 0, rework: 0, publishing: 0, attention: 0 });
    expect(page.rows[0]).toMatchObject({ state: 'triage', network: 'vk', nextStep: 'triage', excerpt: expect.stringContaining('нет горячей воды') });
    const rejected = await web.inbox(query({ list: { states: ['rejected'] } }));
    expect(rejected.rows.map((r) => r.number)).toEqual([4]);
  });

  it('searches the message, the place and the number, ё as е', async () => {
    expect((await web.inbox(query({ filters: { text: 'елку' } }))).rows.map((r) => r.number)).toEqual([3]);
    expect((await web.inbox(query({ filters: { text: 'ПОБЕДЫ' } }))).rows.map((r) => r.number)).toEqual([2]);
    expect((await web.inbox(query({ filters: { text: '№ 1' } }))).rows.map((r) => r.number)).toEqual([1]);
    expect((await web.inbox(query({ filters: { network: 'telegram' } }))).rows.map((r) => r.number)).toEqual([2]);
    expect((await web.inbox(query({ pageSize: 2, page: 1 }))).rows.map((r) => r.number)).toEqual([3]);
    expect((await web.inbox(query({ pageSize: 2, page: 1 }))).total).toBe(3);
  });

  it('sees what another process changed: a routed incident moves queues, a hand-over to a person shows', async () => {
    const runtime = await store.tenants.runtime('zarechensk');
    // Where the web's last look left off; then a change not through the web, as the staff bot or another web process makes it.
    const since = new Date();
    await store.incidents.apply(runtime, 1, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, CURATOR, NOW);
    await waitUntil('the change to be seen', async () => (await web.changesSince('zarechensk', since)).numbers.includes(1), 30_000, 100);
    const executorQueue = QUEUES.find((q) => q.id === 'executor')!;
    expect((await web.inbox(query({ list: { states: executorQueue.states } }))).rows.map((r) => r.number)).toEqual([1]);
    expect((await web.inbox(query())).rows.map((r) => r.number)).toEqual([2, 3]);
    // An answer whose delivery is uncertain: no state change, only publication.manualCheck.
    await store.incidents.apply(runtime, 2, { type: 'confirm-and-route', topic: 'дороги', location: null, importance: 'normal', departments: ['roads'] }, CURATOR, NOW);
    await store.incidents.apply(runtime, 2, { type: 'take' }, { kind: 'staff', code: 'sokolov', roles: ['executor'] }, NOW);
    await store.incidents.apply(runtime, 2, { type: 'submit-draft', draft: { id: 'd2', kind: 'answer', text: 'Здравствуйте! Яма будет заделана до 1 декабря 2026 года.' } }, { kind: 'staff', code: 'sokolov', roles: ['executor'] }, NOW);
    await store.incidents.apply(runtime, 2, { type: 'approve' }, CURATOR, NOW);
    await store.incidents.apply(runtime, 2, { type: 'publish-started' }, { kind: 'system', name: 'publisher' }, NOW);
    await store.publication.handToPerson((await store.incidents.get('zarechensk', 2))!, 'нет ответа сети', NOW);
    const attention = QUEUES.find((q) => q.id === 'attention')!;
    await waitUntil('the hand-over to be seen', async () => (await web.inbox(query({ list: { states: attention.states, manualCheck: true } }))).rows.length === 1, 30_000, 100);
    const counts = (await web.inbox(query())).counts;
    expect(counts).toMatchObject({ triage: 1, executor: 1, publishing: 0, attention: 1 });
  });

  it('an executor\'s view: their department, and those they stand in for', async () => {
    const limited = await web.inbox(query({ list: { states: ['assigned', 'draft'] }, visibility: { kind: 'limited', departments: ['roads'], staff: ['sokolov'] } }));
    expect(limited.rows).toEqual([]);
    const zhkh = await web.inbox(query({ list: { states: ['assigned', 'draft'] }, visibility: { kind: 'limited', departments: ['zhkh'], staff: ['orlova'] } }));
    expect(zhkh.rows.map((r) => r.number)).toEqual([1]);
    const deputy = await web.inbox(query({ list: { states: ['assigned', 'draft'] }, visibility: { kind: 'limited', departments: [], staff: [zhkh.rows[0]!.assignee!] } }));
    expect(deputy.rows.map((r) => r.number)).toEqual([1]);
  });

  it('keeps canned answers per tenant: another tenant\'s is as good as absent', async () => {
    const saved = await web.saveCannedAnswer({ tenant: 'zarechensk', title: 'Вода', text: 'Подача воды будет восстановлена.', topic: 'ЖКХ', by: 'Петрова', now: NOW });
    expect(await web.cannedAnswer('zarechensk', saved.id)).toMatchObject({ title: 'Вода', topic: 'ЖКХ' });
    expect(await web.cannedAnswer('ozerny', saved.id)).toBeNull();
    expect(await web.deleteCannedAnswer('ozerny', saved.id)).toBe(false);
    expect(await web.cannedAnswer('zarechensk', 'not-an-id')).toBeNull();
    expect(await web.cannedAnswers('ozerny')).toEqual([]);
    expect(await web.deleteCannedAnswer('zarechensk', saved.id)).toBe(true);
  });

  it('records reads and lists them newest first, equal instants in a fixed order', async () => {
    for (const who of ['smirnov', 'petrova']) await web.recordRead({ tenant: 'zarechensk', number: 3, who, at: NOW, personalData: true });
    await web.recordRead({ tenant: 'zarechensk', number: 3, who: 'glava', at: new Date(NOW.getTime() + 1000), personalData: false });
    await web.recordRead({ tenant: 'ozerny', number: 3, who: 'petrova', at: NOW, personalData: true });
    expect((await web.readsOf('zarechensk', 3, 10)).map((r) => r.who)).toEqual(['glava', 'petrova', 'smirnov']);
    expect((await web.readsOf('zarechensk', 3, 1)).map((r) => r.who)).toEqual(['glava']);
  });

  it('gives the dashboard today\'s and the month\'s volumes and the terms overdue now', async () => {
    const data = await web.dashboard('zarechensk', { dayFrom: new Date('2026-11-23T21:00:00Z'), monthFrom: new Date('2026-10-31T21:00:00Z'), to: NOW, timeZone: 'Europe/Moscow' });
    expect(data.today.total).toBe(4);
    expect(data.month.byNetwork).toEqual(expect.arrayContaining([{ key: 'vk', count: 3 }, { key: 'telegram', count: 1 }]));
    // № 3's triage ran out at 10:30 Moscow (000 [9]); at 11:00 it is overdue with the curators.
    expect(data.overdue).toEqual(expect.arrayContaining([expect.objectContaining({ number: 3, step: 'triage', responsible: null })]));
    expect(data.surges).toEqual([]);
  });
});
