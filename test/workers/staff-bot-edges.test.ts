// The staff bot beyond the main flows: a user registered in two tenants, an awaited text
// that arrives after someone else acted, a classifier rejection overturned from /card, a
// curator's edit, notices when Telegram is down and while an executor is away, and the
// callback data's limits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { Store } from '../../store/port.js';
import type { Actor } from '../../workflow/incident-machine.js';
import { decodeCallback, encodeCallback, MAX_CALLBACK_BYTES, tenantHash } from '../../workers/staff-bot/callback-data.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';
import { classify, importExampleTenant, newBot, vkMessage } from './support/staff-bot-setup.js';
import { FakeTelegram, type Person } from './support/staff-bot-telegram.js';

const CURATOR: Person = { id: 100001, first_name: 'Анна' };
const EXECUTOR: Person = { id: 100011, first_name: 'Олег' };
const DEPUTY = 100012;
// Белов, the head in the example municipality.
const HEAD = 100003;
const curator: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };
const kuznetsov: Actor = { kind: 'staff', code: 'kuznetsov', roles: ['executor'] };

let store: Store;
let telegram: FakeTelegram;
let clock = new Date('2026-11-24T07:05:00Z');
const startBot = () => newBot(store, () => clock);

/** The number of the incident made of message `id`. */
async function incidentOf(id: string, tenant = 'zarechensk'): Promise<number> {
  const found = await store.incidents.byMessages([`${tenant}:vk:wall-218475963_1377_${id}`]);
  return [...found.values()][0]!.number;
}

async function routeToKuznetsov(number: number): Promise<void> {
  const runtime = await store.tenants.runtime('zarechensk');
  await store.incidents.apply(runtime, number, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, curator, clock);
}

beforeAll(async () => {
  nock.disableNetConnect();
  store = await openTestStore('staff_bot_edges');
  await importExampleTenant(store);
  // A second municipality where the same curator is registered with the same Telegram account.
  const second = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as Record<string, unknown>;
  await store.tenants.importFile(tenantFileSchema.parse({ ...second, name: 'luga', title: 'Администрация Лужского района' }));
  telegram = new FakeTelegram();
  telegram.install();
});

afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await dropTestStore(store);
});

afterEach(() => {
  expect(telegram.problems).toEqual([]);
});

describe('callback data', () => {
  it('fits the 64 bytes Telegram allows even for the longest tenant name, and round-trips', () => {
    const data = { tenantHash: tenantHash('a'.repeat(63)), number: 9_999_999, state: 'awaiting-author', version: 99_999, action: 'dr', arg: 'clarification' } as const;
    const text = encodeCallback(data);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
    expect(decodeCallback(text)).toEqual(data);
  });

  it('refuses what this bot did not write', () => {
    expect(decodeCallback('approve:12')).toBeNull();
    expect(decodeCallback(`${tenantHash('x')}|12|3|1|zz|`)).toBeNull();
    expect(decodeCallback(`${tenantHash('x')}|12|99|1|ap|`)).toBeNull();
    expect(decodeCallback(`${tenantHash('x')}|двенадцать|3|1|ap|`)).toBeNull();
  });
});

describe('a user registered in two municipalities', () => {
  it('chooses the municipality; cards of each act on their own incidents', async () => {
    const bot = startBot();
    telegram.text(CURATOR, '/start');
    await bot.pollOnce();
    const choice = telegram.last(CURATOR.id);
    expect(choice.text).toContain('Вы зарегистрированы в нескольких администрациях');
    expect(choice.keyboard.flat().map((b) => b.text)).toEqual(['Администрация Лужского района', 'Администрация городского округа Зареченск']);
    telegram.press(CURATOR, choice, 'Администрация Лужского района');
    await bot.pollOnce();
    expect(telegram.lastAnswer().form.text).toBe('Выбрано: Администрация Лужского района');
    expect(await rawDb(store).collection('botconversations').findOne({ telegramUserId: CURATOR.id })).toMatchObject({ tenant: 'luga' });

    await classify(store, [vkMessage('L1', 'На улице Мира в доме 3 не горят фонари во дворе, темно и опасно.', 'luga-resident')], 'luga');
    await bot.deliverNotices();
    const card = telegram.last(CURATOR.id, 'Администрация Лужского района\nОбращение № 1');
    telegram.press(CURATOR, card, 'Отклонить');
    await bot.pollOnce();
    telegram.press(CURATOR, telegram.last(CURATOR.id), 'Иная причина');
    await bot.pollOnce();
    telegram.text(CURATOR, 'Дубликат обращения, поданного по телефону');
    await bot.pollOnce();
    expect(await store.incidents.get('luga', 1)).toMatchObject({ state: 'rejected', rejection: { code: 'other', comment: 'Дубликат обращения, поданного по телефону' } });
    expect(await store.incidents.get('zarechensk', 1)).toBeNull();
  });
});

describe('after someone else acted', () => {
  it('an awaited comment is not applied to a card that changed meanwhile', async () => {
    const bot = startBot();
    await classify(store, [vkMessage('S1', 'В подъезде дома 7 на Садовой улице прорвало трубу, течёт вода.', 'sad7')]);
    const number = await incidentOf('S1');
    await routeToKuznetsov(number);
    await bot.deliverNotices();
    telegram.press(EXECUTOR, telegram.last(EXECUTOR.id, `Вам передано обращение № ${number}`), 'Не в компетенции');
    await bot.pollOnce();
    // Meanwhile the curator hands it to another executor of the department.
    await store.incidents.apply(await store.tenants.runtime('zarechensk'), number, { type: 'reassign', assignee: 'orlova', comment: 'Кузнецов на выезде' }, curator, clock);
    telegram.text(EXECUTOR, 'Это вопрос управляющей компании');
    await bot.pollOnce();
    expect(telegram.last(EXECUTOR.id).text).toContain(`Карточка устарела: другой сотрудник уже принял решение по этому обращению. Обращение № ${number} сейчас передано исполнителю; ваш текст не отправлен.`);
    expect(await store.incidents.get('zarechensk', number)).toMatchObject({ state: 'assigned', assignee: 'orlova' });
    expect(await rawDb(store).collection('botconversations').findOne({ telegramUserId: EXECUTOR.id })).toMatchObject({ awaiting: null });
  });
});

describe('the topic menu and the other draft kinds', () => {
  it('the curator picks another topic from the menu (a correction); the executor asks the author to clarify', async () => {
    const bot = startBot();
    await classify(store, [vkMessage('T1', 'Когда у дома 15 на улице Гагарина уберут упавшее дерево? Перегородило тротуар.', 'gag15')]);
    const number = await incidentOf('T1');
    await bot.deliverNotices();
    let card = telegram.last(CURATOR.id, `Обращение № ${number}`);
    telegram.press(CURATOR, card, 'Изменить тему');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.keyboard.length).toBeGreaterThan(10);
    telegram.press(CURATOR, card, 'ЖКХ');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.text).toContain('• Тема: ЖКХ');
    telegram.press(CURATOR, card, 'Подтвердить и выбрать подразделения');
    await bot.pollOnce();
    telegram.press(CURATOR, telegram.last(CURATOR.id), 'Отдел ЖКХ');
    await bot.pollOnce();
    telegram.press(CURATOR, telegram.last(CURATOR.id), 'Направить');
    await bot.pollOnce();
    const routed = await store.incidents.get('zarechensk', number);
    expect(routed).toMatchObject({ state: 'assigned', topic: 'ЖКХ' });
    const topic = await rawDb(store).collection('classifierCorrections').findOne({ incident: String(number), kind: 'topic' });
    expect(topic).toMatchObject({ value: 'ЖКХ', by: 'petrova' });
    expect(topic!.previous).not.toBe('ЖКХ');

    await bot.deliverNotices();
    telegram.press(EXECUTOR, telegram.last(EXECUTOR.id, `Вам передано обращение № ${number}`), 'Запросить уточнение');
    await bot.pollOnce();
    telegram.photo(EXECUTOR, 'AgACAgIAAxkBAAIB-tree', 'Здравствуйте! Уточните, пожалуйста, с какой стороны дома лежит дерево: со двора или с улицы?');
    await bot.pollOnce();
    const asked = await store.incidents.get('zarechensk', number);
    expect(asked!.state).toBe('review');
    expect(asked!.drafts.at(-1)).toMatchObject({ kind: 'clarification', attachments: [{ type: 'photo', url: expect.stringMatching(/^attachment:/) }] });
    // The photo's bytes were fetched from Telegram and kept in the store for the publisher.
    const kept = await store.attachments.load(asked!.drafts.at(-1)!.attachments[0]!.url);
    expect(kept).toMatchObject({ kind: 'photo', contentType: 'image/jpeg', fileName: 'AgACAgIAAxkBAAIB-tree.jpg' });
    expect(kept!.data.toString()).toBe('JPEG bytes of AgACAgIAAxkBAAIB-tree.jpg');
  });
});

describe('several departments and explanations', () => {
  it('the first department passes it on with a note to the next in the curator\'s order (001 [21])', async () => {
    const bot = startBot();
    await classify(store, [vkMessage('P1', 'На улице Гагарина у дома 8 прорвало трубу, вода залила дорогу и тротуар.', 'gag8')]);
    const number = await incidentOf('P1');
    await bot.deliverNotices();
    let card = telegram.last(CURATOR.id, `Обращение № ${number}`);
    telegram.press(CURATOR, card, 'Подтвердить и выбрать подразделения');
    await bot.pollOnce();
    telegram.press(CURATOR, telegram.last(CURATOR.id), 'Отдел ЖКХ');
    await bot.pollOnce();
    telegram.press(CURATOR, telegram.last(CURATOR.id), 'Отдел дорожного хозяйства и транспорта');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.text).toContain('• Подразделения: Отдел ЖКХ → Отдел дорожного хозяйства и транспорта');
    telegram.press(CURATOR, card, 'Направить');
    await bot.pollOnce();
    expect(await store.incidents.get('zarechensk', number)).toMatchObject({ departments: ['zhkh', 'roads'], assignee: 'kuznetsov', departmentIndex: 0 });

    await bot.deliverNotices();
    card = telegram.last(EXECUTOR.id, `Вам передано обращение № ${number}`);
    telegram.press(EXECUTOR, card, 'Передать следующему подразделению');
    await bot.pollOnce();
    telegram.text(EXECUTOR, 'Трубу перекрыли, авария устранена; осталось восстановить асфальт');
    await bot.pollOnce();
    expect(await store.incidents.get('zarechensk', number)).toMatchObject({ state: 'assigned', assignee: 'sokolov', departmentIndex: 1 });
    await bot.deliverNotices();
    const next = telegram.last(100013, `Вам передано обращение № ${number}`);
    expect(next.text).toContain('после подразделения «Отдел ЖКХ»: Трубу перекрыли');
    // The last department in the order has nobody to pass it to.
    expect(next.keyboard.flat().map((b) => b.text)).not.toContain('Передать следующему подразделению');
  });

  it('under a profile with explanations (004 [3.7]) the executor gives one on a chosen ground', async () => {
    await rawDb(store).collection('tenants').updateOne({ name: 'luga' }, { $set: { 'regulationProfile.id': 'okha' } });
    const bot = startBot();
    await classify(store, [vkMessage('X1', 'Почему суд отказал мне в иске к управляющей компании? Отмените решение!', 'court1')], 'luga');
    const number = await incidentOf('X1', 'luga');
    const runtime = await store.tenants.runtime('luga');
    await store.incidents.apply(runtime, number, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, curator, clock);
    await bot.deliverNotices();
    let card = telegram.last(EXECUTOR.id, `Вам передано обращение № ${number}`);
    expect(card.text).toContain('Администрация Лужского района');
    telegram.press(EXECUTOR, card, 'Разъяснение вместо ответа (004 [3.7])');
    await bot.pollOnce();
    card = telegram.last(EXECUTOR.id);
    telegram.press(EXECUTOR, card, 'Обжалование судебного акта');
    await bot.pollOnce();
    telegram.text(EXECUTOR, 'Здравствуйте! Решения суда обжалуются в вышестоящем суде в порядке, установленном процессуальным законодательством.');
    await bot.pollOnce();
    const incident = await store.incidents.get('luga', number);
    expect(incident!.state).toBe('review');
    expect(incident!.drafts.at(-1)).toMatchObject({ kind: 'explanation', ground: 'court' });
    // Zarechensk keeps krymsk: no explanation button there.
    expect(telegram.last(100013).keyboard.flat().map((b) => b.text)).not.toContain('Разъяснение вместо ответа (004 [3.7])');
  });
});

describe('a reminder is not someone acting', () => {
  it('a card stays live when the deadline watcher records a due-soon mark (it bumps the revision, not the history)', async () => {
    const bot = startBot();
    await classify(store, [vkMessage('W1', 'На улице Мира у дома 1 открыт канализационный люк, дети рядом гуляют.', 'mira1')]);
    const number = await incidentOf('W1');
    await routeToKuznetsov(number);
    await bot.deliverNotices();
    const card = telegram.last(EXECUTOR.id, `Вам передано обращение № ${number}`);
    // What the watcher's write does to the document (store/deadline-watch.ts): a mark and a revision.
    await rawDb(store).collection('incidents').updateOne({ tenant: 'zarechensk', number }, { $push: { 'deadlines.1.notified': 'due-soon' }, $inc: { revision: 1 } } as never);
    telegram.press(EXECUTOR, card, 'Взять в работу');
    await bot.pollOnce();
    expect(telegram.lastAnswer().form.text).toBe('Обращение взято в работу.');
    expect((await store.incidents.get('zarechensk', number))!.state).toBe('draft');
  });
});

describe('curator actions from /card', () => {
  it('overturns the classifier\'s rejection, teaching it the unrejection with its evidence', async () => {
    const bot = startBot();
    await classify(store, [vkMessage('R1', 'Глава города, ты урод и вор, когда починишь дорогу на Гагарина?', 'angry')]);
    const number = await incidentOf('R1');
    expect((await store.incidents.get('zarechensk', number))!.state).toBe('rejected');
    telegram.text(CURATOR, `/card ${number}`);
    await bot.pollOnce();
    // The curator works in Луга now (chosen above), so the card is asked of that tenant first.
    expect(telegram.last(CURATOR.id).text).toMatch(new RegExp(`^Обращение № ${number} не найдено или недоступно вам`));
    await rawDb(store).collection('botconversations').updateOne({ telegramUserId: CURATOR.id }, { $set: { tenant: 'zarechensk' } });
    telegram.text(CURATOR, `/card ${number}`);
    await bot.pollOnce();
    const card = telegram.last(CURATOR.id, `Обращение № ${number}`);
    expect(card.text).toMatch(/• Отклонить: .*оскорб.* — «/i);
    telegram.press(CURATOR, card, 'Вернуть в работу');
    await bot.pollOnce();
    telegram.text(CURATOR, 'Грубо, но по существу — дорога на Гагарина');
    await bot.pollOnce();
    expect((await store.incidents.get('zarechensk', number))!.state).toBe('triage');
    const correction = await rawDb(store).collection('classifierCorrections').findOne({ incident: String(number) });
    expect(correction).toMatchObject({ kind: 'unreject', value: null, previous: 'insult', by: 'petrova' });
    expect((correction!.evidence as string[]).length).toBeGreaterThan(0);
  });

  it('edits the draft and approves it: the edit is what is published, the original stays on record', async () => {
    const bot = startBot();
    await classify(store, [vkMessage('E1', 'Во дворе дома 12 на улице Мира третий день не вывозят мусор.', 'mira12')]);
    const number = await incidentOf('E1');
    await routeToKuznetsov(number);
    const runtime = await store.tenants.runtime('zarechensk');
    await store.incidents.apply(runtime, number, { type: 'submit-draft', draft: { id: 'd1', kind: 'answer', text: 'Мусор вывезут.' } }, kuznetsov, clock);
    telegram.text(CURATOR, `/card ${number}`);
    await bot.pollOnce();
    const card = telegram.last(CURATOR.id, `Обращение № ${number}`);
    expect(card.text).toContain('Проект: ответ (kuznetsov):\n«Мусор вывезут.»');
    telegram.press(CURATOR, card, 'Исправить и согласовать');
    await bot.pollOnce();
    telegram.text(CURATOR, 'Здравствуйте! Контейнерная площадка у дома 12 на улице Мира будет очищена 25 ноября до 12:00.');
    await bot.pollOnce();
    const incident = await store.incidents.get('zarechensk', number);
    expect(incident!.state).toBe('approved');
    expect(incident!.drafts.map((d) => [d.id, d.decision, d.author])).toEqual([['d1', 'edited', 'kuznetsov'], ['d1-edited', 'approved', 'petrova']]);
  });
});

describe('notices', () => {
  it('the monthly report reaches the head as the PDF itself (003 [13])', async () => {
    const logLines: string[] = [];
    const bot = newBot(store, () => clock, logLines);
    await bot.deliverNotices();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-report-')), 'otklik-zarechensk-2026-10.pdf');
    fs.writeFileSync(file, '%PDF-1.7\n% a report\n');
    await store.notices.once('monthly-report:zarechensk:2026-10', { tenant: 'zarechensk', incidentNumber: null, to: { role: 'head' }, kind: 'monthly-report', text: 'Ежемесячный анализ за октябрь 2026 года', createdAt: clock, attachment: file });
    const before = telegram.calls.length;
    expect(await bot.deliverNotices()).toBe(1);
    const sent = telegram.calls.slice(before).filter((c) => c.chatId === HEAD);
    expect(sent.map((c) => c.method)).toEqual(['sendMessage', 'sendDocument']);
    expect(sent[1]?.form.document).toBe('file:otklik-zarechensk-2026-10.pdf;head=%PDF-1.7');
    expect(logLines.join('')).not.toContain('was not sent');
  });

  it('stay undelivered while Telegram is unreachable and go out once it answers', async () => {
    const bot = startBot();
    await bot.deliverNotices();
    await classify(store, [vkMessage('N1', 'На улице Гагарина в доме 4 нет света в подъезде уже неделю.', 'gag4')]);
    const number = await incidentOf('N1');
    // Four failures: the first try and the three retries of the client's policy.
    telegram.failNext(4);
    expect(await bot.deliverNotices()).toBe(1);
    // Not delivered: still queued, and no record says it went out.
    expect(await rawDb(store).collection('notices').countDocuments({ incidentNumber: number, deliveredAt: { $ne: null } })).toBe(0);
    expect(await store.work.pending('notice')).toBeGreaterThan(0);
    // Nothing is lost and nothing hammers Telegram: the notice waits its minute, then goes out.
    expect(await bot.deliverNotices()).toBe(0);
    clock = new Date(clock.getTime() + 61_000);
    expect(await bot.deliverNotices()).toBe(1);
    expect(telegram.last(CURATOR.id, `Новое обращение № ${number}`)).toBeDefined();
    expect(await rawDb(store).collection('notices').countDocuments({ deliveredAt: null })).toBe(0);
  });

  it('a deadline reminder goes with the card, to the deputy too while the executor is away (000 [5], 001 [6]), and only once', async () => {
    const bot = startBot();
    await classify(store, [vkMessage('D1', 'На улице Ленина в доме 9 течёт крыша, заливает квартиру.', 'len9')]);
    const number = await incidentOf('D1');
    await routeToKuznetsov(number);
    // Kuznetsov falls ill after the hand-over; the notice reaches Orlova, his deputy, as well.
    clock = new Date('2026-12-15T07:00:00Z');
    // As the deadline watcher writes a reminder (workers/deadline-watch.ts): to the person who answers for the term.
    await store.notices.once(`test-reminder:${number}`, { tenant: 'zarechensk', incidentNumber: number, to: { staff: 'kuznetsov' }, kind: 'deadline-overdue', text: `Напоминание: обращение № ${number}`, createdAt: clock });
    await bot.deliverNotices();
    expect(await bot.deliverNotices()).toBe(0);
    expect(telegram.calls.filter((c) => c.text.startsWith(`Напоминание: обращение № ${number}`)).map((c) => c.chatId).sort()).toEqual([EXECUTOR.id, DEPUTY]);
    expect(telegram.last(DEPUTY, `Напоминание: обращение № ${number}`).keyboard.flat().map((b) => b.text)).toContain('Взять в работу');
    expect(telegram.last(EXECUTOR.id, `Напоминание: обращение № ${number}`)).toBeDefined();
  });
});
