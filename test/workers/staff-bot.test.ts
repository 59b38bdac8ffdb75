// The staff bot end to end by button presses: the real node-telegram-bot-api client
// against nock (every update and answer checked against the Bot API reference), the real
// embedded store, incidents made by the classifier worker's own step.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { Store } from '../../store/port.js';
import type { StaffBot } from '../../workers/staff-bot/bot.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';
import { classify, importExampleTenant, newBot, vkMessage } from './support/staff-bot-setup.js';
import { FakeTelegram, type Person } from './support/staff-bot-telegram.js';

const CURATOR: Person = { id: 100001, first_name: 'Анна', username: 'petrova_a' };
const CURATOR_2: Person = { id: 100002, first_name: 'Павел' };
const HEAD = 100003;
const EXECUTOR: Person = { id: 100011, first_name: 'Олег' };
const STRANGER: Person = { id: 555000777, first_name: 'Житель', username: 'citizen' };

let store: Store;
let telegram: FakeTelegram;
const logLines: string[] = [];
// Tuesday 2026-11-24, 10:05 in Moscow (the example tenant's zone), inside office hours.
let clock = new Date('2026-11-24T07:05:00Z');

const startBot = (): StaffBot => newBot(store, () => clock, logLines);

beforeAll(async () => {
  nock.disableNetConnect();
  store = await openTestStore('staff_bot');
  await importExampleTenant(store);
  telegram = new FakeTelegram();
  telegram.install();
});

afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await dropTestStore(store);
});

afterEach(() => {
  // Every update served, every answer given and every parameter sent matches the Bot API.
  expect(telegram.problems).toEqual([]);
});

describe('curator and executor by button presses', () => {
  let bot: StaffBot;

  it('sends the curators a card of the new incident with the suggestions, the link and local deadlines', async () => {
    await classify(store, [vkMessage('1', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivanov')]);
    bot = startBot();
    expect(await bot.deliverNotices()).toBe(1);
    const card = telegram.last(CURATOR.id, 'Обращение № 1');
    expect(card.text).toContain('На распределении');
    expect(card.text).toContain('ВКонтакте · автор: Иван Смирнов');
    expect(card.text).toContain('https://vk.com/wall-218475963_1377?reply=1');
    expect(card.text).toContain('«Здравствуйте! На улице Ленина в доме 5');
    expect(card.text).toMatch(/Тема: ЖКХ \(уверенность \d+ %\)/);
    expect(card.text).toMatch(/Место: .*Ленина.* — по словам «/);
    // krymsk, 000 [9]: triage within 30 minutes of detection at 10:00:10 Moscow time.
    expect(card.text).toContain('распределение — до 24.11.2026 10:30 (000 [9])');
    expect(card.keyboard.flat().map((b) => b.text)).toEqual(expect.arrayContaining(['Подтвердить и выбрать подразделения', 'Изменить тему', 'Отклонить']));
    // Both curators got it; the notice is marked delivered and is not sent again.
    expect(telegram.last(CURATOR_2.id, 'Обращение № 1')).toBeDefined();
    expect(await bot.deliverNotices()).toBe(0);
    expect(await rawDb(store).collection('notices').countDocuments({ deliveredAt: null })).toBe(0);
  });

  it('routes: the place typed in, the department chosen, and the change taught to the classifier', async () => {
    let card = telegram.last(CURATOR.id, 'Обращение № 1');
    // The classifier saw an outage of hot water as high importance (000 [9]); the curator keeps it.
    expect(card.text).toContain('• Важность: повышенная');
    telegram.press(CURATOR, card, 'Указать место');
    await bot.pollOnce();
    expect(telegram.last(CURATOR.id).text).toContain('Напишите место');
    telegram.text(CURATOR, 'улица Ленина, дом 5');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.text).toContain('• Место: улица Ленина, дом 5');
    telegram.press(CURATOR, card, 'Подтвердить и выбрать подразделения');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.method).toBe('editMessageReplyMarkup');
    telegram.press(CURATOR, card, 'Отдел ЖКХ');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.method).toBe('editMessageText');
    expect(card.keyboard.flat().map((b) => b.text)).toContain('1. Отдел ЖКХ');
    telegram.press(CURATOR, card, 'Направить');
    await bot.pollOnce();
    expect(telegram.lastAnswer().form.text).toBe('Обращение направлено исполнителю.');

    const incident = await store.incidents.get('zarechensk', 1);
    expect(incident).toMatchObject({ state: 'assigned', assignee: 'kuznetsov', importance: 'high', location: 'улица Ленина, дом 5', departments: ['zhkh'] });
    expect(incident!.history.at(-1)).toMatchObject({ who: 'petrova', from: 'triage', to: 'assigned' });
    const corrections = await rawDb(store).collection('classifierCorrections').find({ tenant: 'zarechensk' }).toArray();
    expect(corrections).toEqual([expect.objectContaining({ kind: 'location', value: 'улица Ленина, дом 5', previous: expect.stringMatching(/Ленина/), by: 'petrova', incident: '1' })]);
  });

  it('answers a press on a stale card that someone else already acted, and changes nothing', async () => {
    const stale = telegram.last(CURATOR_2.id, 'Обращение № 1');
    telegram.press(CURATOR_2, stale, 'Отклонить');
    await bot.pollOnce();
    const answer = telegram.lastAnswer();
    expect(answer.form.show_alert).toBe('true');
    expect(answer.form.text).toContain('Карточка устарела: другой сотрудник уже принял решение');
    expect(answer.form.text).toContain('сейчас передано исполнителю');
    // The stale card is replaced by the current one, without the curator's triage buttons.
    const refreshed = telegram.last(CURATOR_2.id);
    expect(refreshed.text).toContain('Передано исполнителю');
    expect(refreshed.keyboard).toEqual([]);
    expect((await store.incidents.get('zarechensk', 1))!.state).toBe('assigned');
  });

  it('tells the executor and the head; the executor takes it', async () => {
    await bot.deliverNotices();
    expect(telegram.last(HEAD, 'повышенной важности').text).toContain('Обращение № 1 повышенной важности');
    const card = telegram.last(EXECUTOR.id, 'Вам передано обращение № 1');
    expect(card.text).toContain('ответ автору — до');
    telegram.press(EXECUTOR, card, 'Взять в работу');
    await bot.pollOnce();
    expect((await store.incidents.get('zarechensk', 1))!.state).toBe('draft');
    expect(telegram.last(EXECUTOR.id).text).toContain('Готовится ответ');
  });

  it('keeps the awaited draft across a bot restart; the photo and the text become the draft', async () => {
    telegram.press(EXECUTOR, telegram.last(EXECUTOR.id), 'Написать ответ');
    await bot.pollOnce();
    expect(telegram.last(EXECUTOR.id).text).toContain('Напишите текст следующим сообщением');

    bot = startBot(); // a restart: nothing in memory survives
    const handledUpTo = telegram.nextUpdateId;
    telegram.photo(EXECUTOR, 'AgACAgIAAxkBAAIB-boiler');
    await bot.pollOnce();
    // It resumes after the last update handled before the restart (saved in the store).
    expect(telegram.offsets.at(-1)).toBe(handledUpTo);
    expect(telegram.last(EXECUTOR.id).text).toContain('Фото приложено');
    telegram.text(EXECUTOR, 'Иван, здравствуйте! Авария на тепловой сети устранена, горячая вода на улице Ленина, 5 будет подана до 18:00 25 ноября.');
    await bot.pollOnce();
    const reply = telegram.last(EXECUTOR.id);
    expect(reply.text).toContain('Проект направлен на согласование куратору.');

    const incident = await store.incidents.get('zarechensk', 1);
    expect(incident!.state).toBe('review');
    expect(incident!.drafts.at(-1)).toMatchObject({
      kind: 'answer', author: 'kuznetsov', attachments: [{ type: 'photo', url: expect.stringMatching(/^attachment:/) }],
      text: expect.stringContaining('будет подана до 18:00 25 ноября'),
    });
    expect(await rawDb(store).collection('botconversations').findOne({ telegramUserId: EXECUTOR.id })).toMatchObject({ awaiting: null });
  });

  it('the curator returns it with a comment; the executor reworks; the curator approves', async () => {
    await bot.deliverNotices();
    let card = telegram.last(CURATOR.id, 'на согласование поступил ответ');
    expect(card.text).toContain('Проект: ответ (kuznetsov)');
    telegram.press(CURATOR, card, 'Вернуть на доработку');
    await bot.pollOnce();
    expect(telegram.last(CURATOR.id).text).toContain('что доработать');
    telegram.text(CURATOR, 'Укажите номер аварийной службы');
    await bot.pollOnce();
    expect((await store.incidents.get('zarechensk', 1))!.state).toBe('rework');

    await bot.deliverNotices();
    card = telegram.last(EXECUTOR.id, 'возвращён на доработку');
    expect(card.text).toContain('Укажите номер аварийной службы');
    telegram.press(EXECUTOR, card, 'Написать ответ');
    await bot.pollOnce();
    telegram.text(EXECUTOR, 'Иван, здравствуйте! Авария устранена, горячая вода на улице Ленина, 5 будет подана до 18:00 25 ноября. Аварийная служба: 8 (800) 100-20-30.');
    await bot.pollOnce();
    expect((await store.incidents.get('zarechensk', 1))!.state).toBe('review');

    await bot.deliverNotices();
    card = telegram.last(CURATOR.id, 'на согласование поступил ответ');
    telegram.press(CURATOR, card, 'Согласовать');
    await bot.pollOnce();
    const incident = await store.incidents.get('zarechensk', 1);
    expect(incident!.state).toBe('approved');
    expect(incident!.history.map((h) => `${h.who}:${h.to}`)).toEqual([
      'system:classifier:triage', 'petrova:assigned', 'kuznetsov:draft', 'kuznetsov:review', 'petrova:rework', 'kuznetsov:review', 'petrova:approved',
    ]);
  });
});

describe('rejection, overturn, return as not competent', () => {
  let bot: StaffBot;

  it('rejects with a reason and overturns with a comment, each taught to the classifier', async () => {
    await classify(store, [vkMessage('2', 'Когда отремонтируют дорогу на проспекте Победы? Ямы по колено, машины ломаются.', 'sidorov')]);
    bot = startBot();
    await bot.deliverNotices();
    let card = telegram.last(CURATOR.id, 'Обращение № 2');
    telegram.press(CURATOR, card, 'Отклонить');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    telegram.press(CURATOR, card, 'Реклама или спам');
    await bot.pollOnce();
    let incident = await store.incidents.get('zarechensk', 2);
    expect(incident).toMatchObject({ state: 'rejected', rejection: { code: 'advertising', by: 'petrova' } });

    card = telegram.last(CURATOR.id);
    telegram.press(CURATOR, card, 'Вернуть в работу');
    await bot.pollOnce();
    telegram.text(CURATOR, 'Ошибочно: это жалоба на дорогу');
    await bot.pollOnce();
    incident = await store.incidents.get('zarechensk', 2);
    expect(incident!.state).toBe('triage');
    expect(incident!.history.at(-1)!.why).toContain('Ошибочно: это жалоба на дорогу');
    const kinds = (await rawDb(store).collection('classifierCorrections').find({ incident: '2' }).toArray()).map((c) => [c.kind, c.value, c.previous]);
    expect(kinds).toEqual([['reject', 'advertising', null], ['unreject', null, 'advertising']]);
  });

  it('the executor returns it as not competent with a comment; the curator is told', async () => {
    let card = telegram.last(CURATOR.id, 'Обращение № 2');
    telegram.press(CURATOR, card, 'Подтвердить и выбрать подразделения');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    telegram.press(CURATOR, card, 'Отдел ЖКХ');
    await bot.pollOnce();
    telegram.press(CURATOR, telegram.last(CURATOR.id), 'Направить');
    await bot.pollOnce();
    expect((await store.incidents.get('zarechensk', 2))!.assignee).toBe('kuznetsov');
    await bot.deliverNotices();
    card = telegram.last(EXECUTOR.id, 'Вам передано обращение № 2');
    telegram.press(EXECUTOR, card, 'Не в компетенции');
    await bot.pollOnce();
    telegram.text(EXECUTOR, 'Дороги — отдел дорожного хозяйства');
    await bot.pollOnce();
    expect((await store.incidents.get('zarechensk', 2))!.state).toBe('returned');
    await bot.deliverNotices();
    expect(telegram.last(CURATOR.id, 'возвращено исполнителем').text).toContain('Дороги — отдел дорожного хозяйства');
  });
});

describe('who may use the bot, and /due', () => {
  it('refuses an unregistered user politely in Russian and logs it; their presses change nothing', async () => {
    const bot = startBot();
    telegram.text(STRANGER, '/start');
    await bot.pollOnce();
    const refusal = telegram.last(STRANGER.id);
    expect(refusal.text).toContain('Здравствуйте! Этот бот предназначен только для сотрудников администрации');
    expect(refusal.text).toContain(String(STRANGER.id));
    expect(logLines.some((l) => l.includes('refused an unregistered user') && l.includes(String(STRANGER.id)))).toBe(true);

    // A forwarded card pressed by a stranger: refused before anything is read.
    const card = telegram.last(CURATOR.id, 'Обращение № 2');
    const before = await store.incidents.get('zarechensk', 2);
    telegram.press(STRANGER, card, /Отклонить|Подтвердить/);
    await bot.pollOnce();
    expect(telegram.lastAnswer().form.text).toContain('только для сотрудников');
    expect((await store.incidents.get('zarechensk', 2))!.revision).toBe(before!.revision);
  });

  it('/due lists what is overdue and due soon for me, in the tenant time zone', async () => {
    const bot = startBot();
    // Incident 2 is back with the curators: its new triage term runs 30 minutes from the return.
    clock = new Date('2026-11-24T08:00:00Z');
    telegram.text(CURATOR, '/due');
    await bot.pollOnce();
    const due = telegram.last(CURATOR.id);
    expect(due.text).toContain('Просрочено:');
    expect(due.text).toMatch(/№ 2 — распределение до 24\.11\.2026 10:\d\d \(Возвращено \(не в компетенции\)\)/);
    // Incident 1 is approved but not yet published: the executor still answers for the answer term,
    // 4 working hours of high importance from 10:00:10 (000 [9]) with the 13:00–14:00 lunch: 15:00:10.
    telegram.text(EXECUTOR, '/due');
    await bot.pollOnce();
    expect(telegram.last(EXECUTOR.id).text).toContain('Сроков, которые истекают в ближайшие часы или просрочены, у вас нет.');
    clock = new Date('2026-11-24T09:00:00Z');
    telegram.text(EXECUTOR, '/due');
    await bot.pollOnce();
    expect(telegram.last(EXECUTOR.id).text).toBe('Истекает в ближайшие 4 ч:\n• № 1 — ответ автору до 24.11.2026 15:00 (Согласовано)');
    // The head sees every term of the administration, whoever answers for it.
    telegram.text({ id: HEAD, first_name: 'Андрей' }, '/due');
    await bot.pollOnce();
    expect(telegram.last(HEAD).text).toContain('• № 1 — ответ автору до 24.11.2026 15:00 (Согласовано)');
  });
});
