// The topic guide in the staff bot, through its harness (the real node-telegram-bot-api
// client against nock, every call checked against the Bot API reference, the real store):
// the curator's topic list carries the guide for the suggested topic and the two closest,
// and /topics sends the whole guide as HTML messages within Telegram's limit.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { parse } from 'yaml';
import { TOPIC_GUIDE, TOPIC_GUIDE_RULES } from '../../classifiers/data/topic-guide.js';
import { DEFAULT_TOPICS } from '../../classifiers/data/topic-training.js';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { Store } from '../../store/port.js';
import { chunkBlocks, TELEGRAM_TEXT_LIMIT, topicGuideMessages } from '../../workers/staff-bot/topic-guide.js';
import { dropTestStore, openTestStore } from '../support/store.js';
import { classify, newBot, vkMessage } from './support/staff-bot-setup.js';
import { FakeTelegram, type Person, type Sent } from './support/staff-bot-telegram.js';

const CURATOR: Person = { id: 100001, first_name: 'Анна' };
/** A topic of the tenant's own, absent from the guide; its name must reach Telegram escaped. */
const OWN_TOPIC = 'Ярмарки <выходного дня> & акции';

/** The example municipality's topics, and one of its own. */
const example = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as Record<string, unknown> & { topics: string[] };
const TOPICS = [...example.topics, OWN_TOPIC];

let store: Store;
let telegram: FakeTelegram;
const clock = new Date('2026-11-24T07:05:00Z');
const startBot = () => newBot(store, () => clock);

/** The text Telegram shows for an HTML message: tags dropped, the three entities read back. */
function shown(html: string): string {
  return html.replace(/<\/?[bi]>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The guide's lines on a topic-list card: «• topic (mark): covers». */
function guideLines(card: Sent): string[] {
  const text = card.text;
  const from = text.indexOf('Рубрикатор: ');
  return from === -1 ? [] : text.slice(from).split('\n').filter((l) => l.startsWith('• '));
}

beforeAll(async () => {
  nock.disableNetConnect();
  store = await openTestStore('staff_bot_topic_guide');
  await store.tenants.importFile(tenantFileSchema.parse({ ...example, topics: TOPICS }));
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

describe('the guide on the curator\'s topic list', () => {
  it('shows the «covers» of the suggested topic and of the two closest above the topic buttons; «Назад» takes it away', async () => {
    const bot = startBot();
    await classify(store, [vkMessage('1', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivanov')]);
    await bot.deliverNotices();
    let card = telegram.last(CURATOR.id, 'Обращение № 1');
    expect(card.text).not.toContain('Рубрикатор');
    telegram.press(CURATOR, card, 'Изменить тему');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.method).toBe('editMessageText');
    const lines = guideLines(card);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`• ЖКХ (предложена): ${TOPIC_GUIDE['ЖКХ'].covers}`);
    // The two closest: whatever they are, each with its own full description.
    for (const line of lines.slice(1)) {
      const topic = DEFAULT_TOPICS.find((t) => line.startsWith(`• ${t}: `));
      expect(topic).toBeDefined();
      expect(line).toBe(`• ${topic}: ${TOPIC_GUIDE[topic!].covers}`);
    }
    expect(card.text).toContain('тема — кто решает вопрос, а не насколько он опасен');
    expect(card.text).toContain('Весь рубрикатор: /topics');
    // The card itself is all there, and the topic buttons are under it.
    expect(card.text).toContain('распределение — до 24.11.2026 10:30');
    expect(card.keyboard.flat().map((b) => b.text)).toEqual(expect.arrayContaining(['✓ ЖКХ', 'дороги', OWN_TOPIC, '← Назад']));

    telegram.press(CURATOR, card, '← Назад');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.method).toBe('editMessageText');
    expect(card.text).not.toContain('Рубрикатор');
    expect(card.keyboard.flat().map((b) => b.text)).toContain('Изменить тему');
  });

  it('after the curator picks another topic, the list shows it beside the suggestion; a tenant\'s own topic says it has no description', async () => {
    const bot = startBot();
    let card = telegram.last(CURATOR.id, 'Обращение № 1');
    telegram.press(CURATOR, card, 'Изменить тему');
    await bot.pollOnce();
    telegram.press(CURATOR, telegram.last(CURATOR.id), 'благоустройство');
    await bot.pollOnce();
    card = telegram.last(CURATOR.id);
    expect(card.text).toContain('• Тема: благоустройство');
    telegram.press(CURATOR, card, 'Изменить тему');
    await bot.pollOnce();
    let lines = guideLines(telegram.last(CURATOR.id));
    expect(lines.slice(0, 2)).toEqual([`• ЖКХ (предложена): ${TOPIC_GUIDE['ЖКХ'].covers}`, `• благоустройство (выбрана): ${TOPIC_GUIDE['благоустройство'].covers}`]);

    telegram.press(CURATOR, telegram.last(CURATOR.id), OWN_TOPIC);
    await bot.pollOnce();
    telegram.press(CURATOR, telegram.last(CURATOR.id), 'Изменить тему');
    await bot.pollOnce();
    lines = guideLines(telegram.last(CURATOR.id));
    expect(lines).toContain(`• ${OWN_TOPIC} (выбрана): описание не задано`);
  });

  it('a long message: the descriptions are shortened so the card still fits one Telegram message, deadlines included', async () => {
    const bot = startBot();
    const long = `Здравствуйте! На улице Ленина в доме 7 нет горячей воды. ${'Мы звонили в управляющую компанию много раз, но никто не приходит. '.repeat(35)}`;
    await classify(store, [vkMessage('2', long, 'sidorova')]);
    await bot.deliverNotices();
    telegram.press(CURATOR, telegram.last(CURATOR.id, 'в доме 7 нет горячей воды'), 'Изменить тему');
    await bot.pollOnce();
    const card = telegram.last(CURATOR.id);
    expect(card.text.length).toBeLessThanOrEqual(4000);
    expect(card.text).toContain('распределение — до');
    expect(card.text.endsWith('Весь рубрикатор: /topics')).toBe(true);
    const lines = guideLines(card);
    expect(lines[0]).toMatch(/^• ЖКХ \(предложена\): Всё, что обслуживают управляющие компании.*…$/);
    expect(lines[0]!.length).toBeLessThan(`• ЖКХ (предложена): ${TOPIC_GUIDE['ЖКХ'].covers}`.length);
  });
});

describe('/topics: the whole guide', () => {
  it('sends the rules and every topic of the tenant as HTML, each message within Telegram\'s limit', async () => {
    const bot = startBot();
    const before = telegram.calls.length;
    telegram.text(CURATOR, '/topics');
    await bot.pollOnce();
    const sent = telegram.calls.slice(before).filter((c) => c.method === 'sendMessage' && c.chatId === CURATOR.id);
    // The guide is longer than one message: it is split, never past the limit.
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const message of sent) {
      expect(message.form.parse_mode).toBe('HTML');
      expect(message.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      // Every bold span opens and closes in the same message.
      expect(message.text.match(/<b>/g)?.length ?? 0).toBe(message.text.match(/<\/b>/g)?.length ?? 0);
    }
    const text = sent.map((m) => shown(m.text)).join('\n\n');
    expect(text).toContain('Рубрикатор тем · Администрация городского округа Зареченск');
    for (const rule of TOPIC_GUIDE_RULES) expect(text).toContain(rule);
    for (const topic of DEFAULT_TOPICS) {
      expect(text).toContain(`${topic}\n${TOPIC_GUIDE[topic].covers}\nНе сюда: ${TOPIC_GUIDE[topic].notHere}`);
    }
    // The tenant's own topic: escaped for Telegram's HTML, shown as typed, without a description.
    const raw = sent.map((m) => m.text).join('\n\n');
    expect(raw).toContain('<b>Ярмарки &lt;выходного дня&gt; &amp; акции</b>\nописание не задано');
    expect(text).toContain(`${OWN_TOPIC}\nописание не задано`);
  });

  it('«/темы» typed by hand sends the same guide', async () => {
    const bot = startBot();
    const before = telegram.calls.length;
    telegram.text(CURATOR, '/темы');
    await bot.pollOnce();
    const sent = telegram.calls.slice(before).filter((c) => c.method === 'sendMessage' && c.chatId === CURATOR.id);
    expect(sent.map((m) => m.text)).toEqual(topicGuideMessages('Администрация городского округа Зареченск', TOPICS));
  });

  it('a text longer than one message is split between words, each part within the limit and titled, nothing lost', () => {
    const body = `${'Жалоба <на> «ремонт» & сроки. '.repeat(400)}конец`;
    const chunks = chunkBlocks([{ title: 'Очень длинная тема', body }, { title: 'Короткая', body: 'текст' }], 1000);
    expect(chunks.length).toBeGreaterThan(12);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(1000);
      // Cut between words and never inside an entity.
      expect(chunk).not.toMatch(/&(?:l|lt|g|gt|a|am|amp)?$/);
      expect(chunk).toMatch(/^<b>(Очень длинная тема|Очень длинная тема \(продолжение\)|Короткая)<\/b>\n/);
    }
    const parts = chunks.flatMap((c) => c.split('\n\n')).map((p) => shown(p).split('\n'));
    expect(parts.filter(([title]) => title!.startsWith('Очень длинная тема')).map(([, text]) => text).join(' ')).toBe(body.trim());
    expect(parts.at(-1)).toEqual(['Короткая', 'текст']);
  });
});
