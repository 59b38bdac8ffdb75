import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import type { Store, TenantRuntime } from '../../store/port.js';
import { classifyQueued } from '../support/classify.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

const T0 = new Date('2026-11-24T07:00:30Z');
const curator = { kind: 'staff', code: 'petrova', roles: ['curator'] } as const;

function message(id: string, text: string): NormalizedMessage {
  return {
    network: id.startsWith('tg') ? 'telegram' : 'vk', externalId: id, kind: 'comment', place: { containerId: '-1', postId: '1', itemId: id },
    author: { id: `a-${id}`, name: 'Житель', anonymous: false }, text, attachments: [], createdAt: new Date('2026-11-24T07:00:00Z'), matchedKeywords: [], raw: {},
  };
}

describe('the staff inbox, read from one small entry per open incident (embedded store)', () => {
  let store: Store;
  let runtime: TenantRuntime;
  beforeAll(async () => {
    store = await openTestStore('inbox');
    await store.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
    runtime = await store.tenants.runtime('zarechensk');
    await store.messages.ingest('zarechensk', [
      message('vk1', 'На улице Ленина, дом 5 третий день нет горячей воды'),
      message('vk2', 'Яма на дороге у школы № 3, машины бьют колёса'),
      message('tg3', 'Не горят фонари во дворе на улице Мира, дом 7'),
      message('vk4', 'Купи дёшево окна, звони сейчас, скидки только сегодня!!! Пиши в личку, ссылка в профиле'),
    ], 'vk-main');
    await rawDb(store).collection('messages').updateMany({}, { $set: { fetchedAt: new Date('2026-11-24T07:00:10Z') } });
    await classifyQueued(store, T0);
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  it('lists the open incidents by the next term, with filters; rejections are not there', async () => {
    const page = await store.incidents.inbox({ tenant: 'zarechensk', states: ['triage'] });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.preview)).toEqual(expect.arrayContaining([expect.stringContaining('горячей воды')]));
    const due = page.rows.map((r) => r.nextDueAt?.getTime() ?? Infinity);
    expect([...due].sort((a, b) => a - b)).toEqual(due);
    expect((await store.incidents.inbox({ tenant: 'zarechensk', network: 'telegram' })).rows.map((r) => r.preview)).toEqual([expect.stringContaining('фонари')]);
    expect((await store.incidents.inbox({ tenant: 'zarechensk', text: 'ЛЕНИНА' })).total).toBe(1);
    expect((await store.incidents.inbox({ tenant: 'zarechensk', due: 'overdue', now: new Date('2026-11-30T07:00:00Z') })).total).toBe(3);
    expect((await store.incidents.inbox({ tenant: 'zarechensk', due: 'overdue', now: T0 })).total).toBe(0);
    expect((await store.incidents.inbox({ tenant: 'zarechensk', limit: 2 })).rows).toHaveLength(2);
  });

  it('follows each change: routed incidents move to the department\'s queue, closed ones leave', async () => {
    const [first] = (await store.incidents.inbox({ tenant: 'zarechensk', text: 'ленина' })).rows;
    await store.incidents.apply(runtime, first!.number, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, curator, new Date(T0.getTime() + 60_000));
    const zhkh = await store.incidents.inbox({ tenant: 'zarechensk', departments: ['zhkh'] });
    expect(zhkh.rows).toEqual([expect.objectContaining({ number: first!.number, state: 'assigned', department: 'zhkh', assignee: expect.any(String) })]);
    expect((await store.incidents.inbox({ tenant: 'zarechensk', departments: ['roads'] })).total).toBe(0);
    const [other] = (await store.incidents.inbox({ tenant: 'zarechensk', text: 'фонари' })).rows;
    await store.incidents.apply(runtime, other!.number, { type: 'reject', reason: 'competence', comment: 'Сети принадлежат РЭС' }, curator, new Date(T0.getTime() + 120_000));
    expect((await store.incidents.inbox({ tenant: 'zarechensk', text: 'фонари' })).total).toBe(0);
  });

  it('tells the workplace which numbers changed or left since it last looked, and limits an executor to what they may see', async () => {
    const since = new Date(Date.now() - 1);
    const [water] = (await store.incidents.inbox({ tenant: 'zarechensk', text: 'горячей воды' })).rows;
    const [pit] = (await store.incidents.inbox({ tenant: 'zarechensk', text: 'яма' })).rows;
    // Rejected by the curator: it leaves the open set, and the workplace must see it go.
    await store.incidents.apply(runtime, pit!.number, { type: 'reject', reason: 'competence', comment: 'Дорога региональная' }, curator, new Date(T0.getTime() + 240_000));
    // Asked a second later: what a writer stamped in the last second is left for the next look.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const seen = await store.incidents.changedSince('zarechensk', since);
    expect(seen.numbers).toContain(pit!.number);
    expect(seen.numbers).not.toContain(water!.number);
    expect((await store.incidents.inbox({ tenant: 'zarechensk', limit: 100 })).rows.map((r) => r.number)).not.toContain(pit!.number);
    expect((await store.incidents.changedSince('zarechensk', seen.latest)).numbers).toEqual([]);
    // An executor of roads sees the ЖКХ incident only if it is held by them or their department is on it.
    const executor = { departments: ['roads'], assignees: ['sokolov'] };
    const counted = await store.incidents.inbox({ tenant: 'zarechensk', visibleTo: executor, counts: { triage: { states: ['triage', 'returned'] }, all: { states: ['assigned', 'draft', 'triage'] } } });
    expect(counted.rows.map((r) => r.number)).not.toContain(water!.number);
    const whole = await store.incidents.inbox({ tenant: 'zarechensk', counts: { all: { states: ['assigned', 'draft', 'triage', 'returned'] } } });
    expect(whole.counts.all).toBeGreaterThan(counted.counts.all ?? 0);
  });

  it('an entry a crash did not write, or left behind, is mended by the consistency check', async () => {
    const [any] = (await store.incidents.inbox({ tenant: 'zarechensk', text: 'горячей' })).rows;
    await rawDb(store).collection('inbox').deleteOne({ _id: any!.id as never });
    await rawDb(store).collection('inbox').insertOne({ _id: 'zarechensk:999' as never, tenant: 'zarechensk', number: 999, state: 'triage', revision: 1 });
    expect((await store.incidents.inbox({ tenant: 'zarechensk', text: 'горячей' })).total).toBe(0);
    const report = await store.maintenance.check();
    expect(report.problems).toEqual([expect.stringContaining('записи входящих исправлены: 2')]);
    expect((await store.incidents.inbox({ tenant: 'zarechensk', text: 'горячей' })).rows).toEqual([expect.objectContaining({ number: any!.number, preview: expect.stringContaining('горячей воды') })]);
    // The one left behind is marked gone (live updates see it go), listed nowhere, and deleted by a later repair.
    expect(await rawDb(store).collection('inbox').findOne({ _id: 'zarechensk:999' as never })).toMatchObject({ gone: true });
    expect((await store.incidents.inbox({ tenant: 'zarechensk', limit: 1000 })).rows.map((r) => r.number)).not.toContain(999);
    expect((await store.maintenance.check()).problems).toEqual([]);
  });
});
