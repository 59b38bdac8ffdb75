// Issue 12 point 10 (004 [1.4], 152-ФЗ): who may see an incident (one rule for the staff
// bot and the web workplace), one register of who read which incident, an author's data
// exported and erased by the CLI, and the tenant's retention period applied by the
// watcher's recurring job — incidents and the reports' figures kept throughout.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { pino } from 'pino';
import type { Store } from '../../store/port.js';
import { ERASED_NAME, ERASED_TEXT } from '../../store/personal-data.js';
import { openWebStore } from '../../store/web/index.js';
import { personalDataRetentionJob } from '../../workers/personal-data-retention.js';
import type { Actor } from '../../workflow/incident-machine.js';
import type { StaffMember } from '../../workflow/routing.js';
import { canSee } from '../../workflow/visibility.js';
import { runOtklik } from '../support/cli.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';
import { classifyAt, message } from '../web/support/incidents.js';
import { exampleTenant } from '../web/support/workplace.js';
import { newBot } from '../workers/support/staff-bot-setup.js';
import { FakeTelegram, type Person } from '../workers/support/staff-bot-telegram.js';

const DETECTED = new Date('2026-11-24T07:00:00Z');
const NOW = new Date('2026-11-24T08:00:00Z');
const CURATOR: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };
const SOKOLOV: Person = { id: 100013, first_name: 'Игорь' };
const ORLOVA: Person = { id: 100012, first_name: 'Мария' };

describe('who may see an incident: canSee (workflow/visibility.ts)', () => {
  const member = (code: string, department: string | null, extra: Partial<StaffMember> = {}): StaffMember =>
    ({ code, fullName: code, roles: ['executor'], department, deputy: null, absences: [], active: true, ...extra }) as StaffMember;
  const staff = [member('kuznetsov', 'zhkh', { deputy: 'sokolov', absences: [{ from: new Date('2026-11-20'), to: new Date('2026-11-30'), reason: 'leave' }] as never }), member('sokolov', 'roads'), member('orlova', 'zhkh')];
  const zhkh = { departments: ['zhkh'], assignee: 'orlova' };
  const heldByKuznetsov = { departments: ['zhkh'], assignee: 'kuznetsov' };

  it('an executor sees their department\'s, those they hold and those of an absent colleague they stand in for; nothing else', () => {
    expect(canSee({ code: 'orlova', roles: ['executor'], department: 'zhkh' }, zhkh, staff, NOW)).toBe(true);
    expect(canSee({ code: 'sokolov', roles: ['executor'], department: 'roads' }, zhkh, staff, NOW)).toBe(false);
    expect(canSee({ code: 'sokolov', roles: ['executor'], department: 'roads' }, { departments: ['zhkh'], assignee: 'sokolov' }, staff, NOW)).toBe(true);
    expect(canSee({ code: 'sokolov', roles: ['executor'], department: 'roads' }, heldByKuznetsov, staff, NOW)).toBe(true);
    // Once kuznetsov is back, his incidents are his department's again.
    expect(canSee({ code: 'sokolov', roles: ['executor'], department: 'roads' }, heldByKuznetsov, staff, new Date('2026-12-02T08:00:00Z'))).toBe(false);
  });

  it('curators and the head see every incident of the tenant; an admin alone sees none', () => {
    expect(canSee({ code: 'petrova', roles: ['curator'], department: null }, zhkh, staff, NOW)).toBe(true);
    expect(canSee({ code: 'glava', roles: ['head'], department: null }, zhkh, staff, NOW)).toBe(true);
    expect(canSee({ code: 'it', roles: ['admin'], department: null }, zhkh, staff, NOW)).toBe(false);
  });
});

describe('personal data in the store', () => {
  let store: Store;
  let telegram: FakeTelegram;
  const ivan = { water: message('vk', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivan', DETECTED),
    road: message('vk', 'На проспекте Победы огромная яма на дороге, администрация, отремонтируйте', 'ivan', DETECTED),
    spam: message('vk', 'Пластиковые окна со скидкой 50%! Звоните прямо сейчас, выгодное предложение, купите окна', 'ivan', DETECTED) };
  const maria = message('vk', 'В Сосновке на Центральной улице не горят фонари, ещё и ёлку не поставили', 'maria', DETECTED);
  const key = (m: { network: string; externalId: string }) => `zarechensk:${m.network}:${m.externalId}`;

  beforeAll(async () => {
    nock.disableNetConnect();
    telegram = new FakeTelegram();
    telegram.install();
    store = await openTestStore('personal_data');
    await store.tenants.importFile(exampleTenant());
    // One by one: the numbers follow this order (1 water, 2 road, 3 spam, 4 lights).
    for (const m of [ivan.water, ivan.road, ivan.spam, maria]) await classifyAt(store, [m], DETECTED);
    const runtime = await store.tenants.runtime('zarechensk');
    await store.incidents.apply(runtime, 1, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, CURATOR, NOW);
    await store.incidents.apply(runtime, 2, { type: 'confirm-and-route', topic: 'дороги', location: null, importance: 'normal', departments: ['roads'] }, CURATOR, NOW);
  }, 120_000);

  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await dropTestStore(store);
  }, 60_000);

  it('the staff bot refuses a card its reader may not see and registers the views of those it shows', async () => {
    const bot = newBot(store, () => NOW);
    telegram.text(SOKOLOV, '/card 1');
    await bot.pollOnce();
    expect(telegram.last(SOKOLOV.id).text).toBe('Обращение № 1 не найдено или недоступно вам: исполнитель видит обращения своего подразделения и те, что ведёт сам.');
    expect(await store.incidents.readsOf('zarechensk', 1)).toEqual([]);
    telegram.text(ORLOVA, '/card 1');
    await bot.pollOnce();
    expect(telegram.last(ORLOVA.id).text).toContain('нет горячей воды');
    expect(await store.incidents.readsOf('zarechensk', 1)).toEqual([{ tenant: 'zarechensk', number: 1, who: 'orlova', at: NOW, via: 'bot', personalData: true }]);
    expect(telegram.problems).toEqual([]);
  });

  it('the web card writes to the same register, read by `_id`', async () => {
    const web = await openWebStore(store);
    const later = new Date(NOW.getTime() + 60_000);
    await web.recordRead({ tenant: 'zarechensk', number: 1, who: 'petrova', at: later, personalData: true });
    expect((await store.incidents.readsOf('zarechensk', 1)).map((r) => [r.who, r.via])).toEqual([['petrova', 'web'], ['orlova', 'bot']]);
    expect((await web.readsOf('zarechensk', 1, 1)).map((r) => r.who)).toEqual(['petrova']);
    expect(await rawDb(store).collection('incidentReads').findOne({ _id: 'zarechensk:1' } as never)).toMatchObject({ tenant: 'zarechensk', number: 1 });
    web.stop();
  });

  it('`otklik personal-data export` prints what is held about one author; `erase` replaces it and keeps the incidents and figures', async () => {
    const exported = await runOtklik(store.dbName, ['personal-data', 'export', '--network', 'vk', '--author', 'ivan']);
    expect(exported.stderr).toBe('');
    const data = JSON.parse(exported.stdout) as { messages: Array<{ _id: string; text: string; author: { name: string }; raw: unknown }>; incidents: Array<{ number: number }>; reads: Array<{ who: string }> };
    expect(data.messages.map((m) => m._id).sort()).toEqual([key(ivan.water), key(ivan.road), key(ivan.spam)].sort());
    expect(data.messages.find((m) => m._id === key(ivan.water))).toMatchObject({ text: ivan.water.text, author: { name: 'Житель ivan' }, raw: expect.anything() });
    expect(data.incidents.map((i) => i.number)).toEqual([1, 2, 3]);
    expect(data.reads.map((r) => r.who)).toEqual(['petrova', 'orlova']);

    const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), timeZone: 'Europe/Moscow' };
    const figures = await store.reports.counts('zarechensk', period);
    const erased = await runOtklik(store.dbName, ['personal-data', 'erase', '--network', 'vk', '--author', 'ivan']);
    expect(erased.stdout).toContain('Данные автора vk:ivan удалены: сообщений 3, обращений 3 (остались в отчётах без автора), записей во входящих 2.');

    const water = await store.messages.get(key(ivan.water));
    expect(water).toMatchObject({ text: ERASED_TEXT, author: { name: ERASED_NAME }, attachments: [] });
    expect(water!.author.id).toMatch(/^erased-[0-9a-f]{16}$/);
    expect(water!.author.profileUrl ?? null).toBeNull();
    expect(JSON.stringify(await rawDb(store).collection('messages').find({ 'author.id': water!.author.id } as never).toArray())).not.toMatch(/ivan|Ленина|Победы|окна/);
    // One pseudonym for all of the author's messages and incidents; open and archived incidents keep their state and topic.
    const incidents = await Promise.all([1, 2, 3].map((n) => store.incidents.get('zarechensk', n)));
    expect(incidents.map((i) => [i!.state, i!.topic, i!.authorId])).toEqual([['assigned', 'ЖКХ', water!.author.id], ['assigned', 'дороги', water!.author.id], ['rejected', incidents[2]!.topic, water!.author.id]]);
    expect(await rawDb(store).collection('inbox').findOne({ _id: 'zarechensk:1' } as never)).toMatchObject({ preview: ERASED_TEXT, search: '' });
    expect(await store.reports.counts('zarechensk', period)).toEqual(figures);
    expect(JSON.stringify(await rawDb(store).collection('repeatLog').find({ tenant: 'zarechensk' }).toArray())).not.toContain('"ivan"');
    expect(JSON.stringify(await rawDb(store).collection('repeatLog').find({ tenant: 'zarechensk' }).toArray())).toContain('"maria"');
    // The other author is untouched, and the first is no longer found under the old id.
    expect((await store.messages.get(key(maria)))!.text).toBe(maria.text);
    const again = await runOtklik(store.dbName, ['personal-data', 'export', '--network', 'vk', '--author', 'ivan']);
    expect(JSON.parse(again.stdout).messages).toEqual([]);
    expect(again.stderr).toContain('Об авторе vk:ivan в муниципалитете zarechensk ничего не хранится.');
  }, 120_000);

  it('the retention job anonymises messages past the tenant\'s period once their incident is closed, and drops old put-aside payloads', async () => {
    const set = await runOtklik(store.dbName, ['personal-data', 'retention', '--days', '30']);
    expect(set.stdout).toContain('zarechensk: данные авторов и исходные ответы сетей обезличиваются через 30 дн. после получения');
    expect((await runOtklik(store.dbName, ['personal-data', 'retention', '--days', 'never'])).stderr).toContain('--days: «never» — нужно целое число дней от 1 или off');
    await store.messages.putAside('zarechensk', [{ network: 'vk', accountId: 'vk-main', reason: 'unknown shape', raw: { from_id: 42, text: 'личное' }, receivedAt: DETECTED }]);
    const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), timeZone: 'Europe/Moscow' };
    const figures = await store.reports.counts('zarechensk', period);
    // A message of its own that the classifier rejects: its incident is closed (archived) at once.
    const spam = message('vk', 'Пластиковые окна со скидкой 50%! Звоните прямо сейчас, выгодное предложение, купите окна', 'anna', DETECTED);
    await classifyAt(store, [spam], DETECTED);
    const job = personalDataRetentionJob(store, pino({ level: 'silent' }));

    await job.run(new Date(DETECTED.getTime() + 29 * 24 * 3600_000), new AbortController().signal);
    expect((await store.messages.get(key(spam)))!.text).toBe(spam.text);

    await job.run(new Date(DETECTED.getTime() + 31 * 24 * 3600_000), new AbortController().signal);
    expect(await store.messages.get(key(spam))).toMatchObject({ text: ERASED_TEXT, author: { name: ERASED_NAME } });
    // Maria's incident is open (in triage): her data waits for it to close.
    expect((await store.messages.get(key(maria)))!.text).toBe(maria.text);
    expect(await rawDb(store).collection('malformedPayloads').countDocuments({ tenant: 'zarechensk' })).toBe(0);
    expect((await store.reports.counts('zarechensk', period)).total).toBe(figures.total + 1);
  }, 120_000);
});
