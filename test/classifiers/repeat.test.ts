import { describe, expect, it } from '@jest/globals';
import {
  countNearCopies, decideRepeat, jaccard, REPEAT_BUCKET_CAP, RepeatIndex, repeatEntry, repeatProbe, shingles, sketchOf, sketchSimilarity,
  type RepeatEntry, type RepeatProbeInput,
} from '../../classifiers/repeat.js';

const DAY_MS = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 2, 2, 9, 0);

function filed(id: string, input: RepeatProbeInput): RepeatEntry {
  return repeatEntry(repeatProbe(input), id);
}

describe('repeats: the same problem, not the same person (001 [19])', () => {
  const water = filed('101', { text: 'Третий день нет горячей воды в доме 14 на улице Гагарина, управляющая компания молчит', author: 'vk:1', location: 'улица Гагарина', house: '14', topic: 'ЖКХ', at: T0 });
  const pothole = filed('102', { text: 'Огромная яма на дороге у дома 14 по улице Ленина, машины бьют колёса', author: 'vk:2', location: 'улица Ленина', house: '14', topic: 'дороги', at: T0 });
  const swings = filed('103', { text: 'Во дворе на Садовой сломаны качели на детской площадке', author: 'vk:3', location: 'улица Садовая', topic: 'благоустройство', at: T0 });
  const all = [water, pothole, swings];

  it('finds the same problem in other words', () => {
    const probe = repeatProbe({ text: 'Опять нет горячей воды в доме 14 на улице Гагарина, управляющая компания не отвечает', author: 'ok:7', at: T0 + 3 * DAY_MS });
    expect(decideRepeat(probe, all)).toMatchObject({ incidentId: '101', by: 'text' });
  });

  it('finds the same place and topic when the words are few but the same', () => {
    const probe = repeatProbe({ text: 'Яму у Ленина 14 так и не заделали, когда ремонт?', author: 'tg:5', location: 'улица Ленина', house: '14', topic: 'дороги', at: T0 + 20 * DAY_MS });
    expect(decideRepeat(probe, all)).toMatchObject({ incidentId: '102', by: 'place' });
  });

  it('does not make an earlier author’s message on a new problem a repeat', () => {
    const probe = repeatProbe({ text: 'А когда покрасят забор у школы? Облез весь', author: 'vk:3', at: T0 + DAY_MS });
    expect(decideRepeat(probe, all)).toBeNull();
  });

  it('does not make a new problem at the same address and topic a repeat, even from the same author', () => {
    const probe = repeatProbe({ text: 'На Гагарина 14 течёт крыша, заливает пятый этаж', author: 'vk:1', location: 'улица Гагарина', house: '14', topic: 'ЖКХ', at: T0 + DAY_MS });
    expect(decideRepeat(probe, all)).toBeNull();
  });

  it('does not link the same words at another address: another problem', () => {
    const probe = repeatProbe({ text: 'Третий день нет горячей воды в доме 3 на улице Мира, управляющая компания молчит', location: 'улица Мира', house: '3', topic: 'ЖКХ', at: T0 + DAY_MS });
    expect(decideRepeat(probe, all)).toBeNull();
  });

  it('lets the same author tip a near miss into a repeat, never make one alone', () => {
    const earlier = filed('201', { text: 'Не работает светофор на перекрёстке Мира и Кирова, пешеходы бегут на красный', author: 'vk:40', at: T0 });
    const text = 'На перекрёстке Мира и Кирова не работает светофор уже неделю';
    const sim = sketchSimilarity(repeatProbe({ text, at: 0 }).sh, earlier.sh);
    expect(sim).toBeGreaterThanOrEqual(0.4);
    expect(sim).toBeLessThan(0.5);
    expect(decideRepeat(repeatProbe({ text, author: 'vk:41', at: T0 + DAY_MS }), [earlier])).toBeNull();
    expect(decideRepeat(repeatProbe({ text, author: 'vk:40', at: T0 + DAY_MS }), [earlier])).toMatchObject({ incidentId: '201', by: 'text' });
  });

  it('looks back 180 days by default, or as far as the tenant says', () => {
    const text = 'Опять нет горячей воды в доме 14 на улице Гагарина, управляющая компания не отвечает';
    expect(decideRepeat(repeatProbe({ text, at: T0 + 179 * DAY_MS }), all)).toMatchObject({ incidentId: '101' });
    expect(decideRepeat(repeatProbe({ text, at: T0 + 181 * DAY_MS }), all)).toBeNull();
    expect(decideRepeat(repeatProbe({ text, at: T0 + 40 * DAY_MS }), all, { windowMs: 30 * DAY_MS })).toBeNull();
  });

  it('points to the newest report when several are equally the same problem', () => {
    const text = 'Нет горячей воды в доме 14 на улице Гагарина';
    const older = filed('301', { text, at: T0 });
    const newer = filed('302', { text, at: T0 + 5 * DAY_MS });
    expect(decideRepeat(repeatProbe({ text, at: T0 + 6 * DAY_MS }), [older, newer])).toMatchObject({ incidentId: '302' });
  });

  it('never points to a rejected message, but counts it as a copy for spam', () => {
    const ad = 'Лучшие окна в городе, звоните, скидки всем до конца месяца';
    const probe = repeatProbe({ text: ad, at: T0 });
    const copies = [0, 1, 2, 3].map((i) => repeatEntry(repeatProbe({ text: ad, at: T0 - i * DAY_MS }), `a${i}`, { rejected: true }));
    expect(decideRepeat(probe, copies)).toBeNull();
    expect(countNearCopies(probe, copies)).toBe(4);
    expect(countNearCopies(repeatProbe({ text: 'Когда починят дорогу на Лесной?', at: T0 }), copies)).toBe(0);
  });

  it('does not link an unlinked pair again, nor near copies of either side', () => {
    const message = 'Опять нет горячей воды в доме 14 на улице Гагарина, управляющая компания не отвечает';
    const unlinks = [{ sh: sketchOf(message), incidentId: '101', otherSh: [...water.sh] }];
    expect(decideRepeat(repeatProbe({ text: message, at: T0 + DAY_MS }), all, { unlinks })).toBeNull();
    // A near copy of the message, against a new incident that is a near copy of 101.
    const copyOf101 = filed('105', { text: 'Третий день нет горячей воды в доме 14 на улице Гагарина, управляющая компания молчит!', at: T0 + 2 * DAY_MS });
    expect(decideRepeat(repeatProbe({ text: `${message}!!`, at: T0 + 3 * DAY_MS }), [...all, copyOf101], { unlinks })).toBeNull();
    // Other messages still find 101.
    expect(decideRepeat(repeatProbe({ text: 'Нет горячей воды на Гагарина 14 третий день, управляющая компания молчит', at: T0 + DAY_MS }), all, { unlinks }))
      .toMatchObject({ incidentId: '101' });
  });
});

describe('repeat probes and entries in the shape the store keeps', () => {
  const input = { text: 'Нет холодной воды в доме 5 по улице Ленина, третий день', author: 'vk:9', location: 'Улица Ленина', house: '5', topic: 'ЖКХ', at: T0 };

  it('gives short string keys, the same in every run, with a place-and-topic key', () => {
    const a = repeatProbe(input);
    expect(a.keys).toEqual(repeatProbe(input).keys);
    expect(a.keys.length).toBe(13);
    for (const k of a.keys) expect(k.length).toBeLessThanOrEqual(12);
    expect(a.keys.filter((k) => k.startsWith('p:'))).toHaveLength(1);
    expect(repeatProbe({ ...input, topic: null }).keys.filter((k) => k.startsWith('p:'))).toHaveLength(0);
  });

  it('files compact JSON that decides the same after a round trip through the store', () => {
    const entry = repeatEntry(repeatProbe(input), '77');
    const stored = JSON.parse(JSON.stringify(entry)) as RepeatEntry;
    expect(stored).toEqual(entry);
    expect(stored).toMatchObject({ id: '77', at: T0, author: 'vk:9', location: 'улица ленина', house: '5', topic: 'ЖКХ' });
    expect(JSON.stringify(stored).length).toBeLessThan(700);
    const probe = repeatProbe({ ...input, text: 'Опять нет холодной воды в доме 5 по улице Ленина', at: T0 + DAY_MS });
    expect(decideRepeat(probe, [stored])).toEqual(decideRepeat(probe, [entry]));
    expect(decideRepeat(probe, [stored])).toMatchObject({ incidentId: '77' });
  });

  it('keeps a sketch of at most 48 hashes, exact for short texts', () => {
    const long = repeatProbe({ text: 'Уважаемая администрация! '.repeat(3) + 'Обращаюсь по поводу дороги на улице Центральной у дома 48: покрытие разрушено, образовались ямы глубиной до 20 см, после дождя в них стоит вода, автомобили объезжают ямы по тротуару, что создаёт опасность для пешеходов и детей, идущих в школу.', at: 0 });
    expect(long.sh.length).toBe(48);
    const a = 'нет горячей воды в доме';
    const b = 'нет воды в доме на Ленина';
    expect(sketchSimilarity(sketchOf(a), sketchOf(b))).toBeCloseTo(jaccard(shingles(a), shingles(b)), 10);
  });
});

describe('the in-memory repeat index', () => {
  it('keeps the newest entries under each key', () => {
    const index = new RepeatIndex();
    const text = 'Не вывозят мусор с контейнерной площадки на Школьной';
    for (let i = 0; i < REPEAT_BUCKET_CAP + 10; i++) index.add({ id: String(i), text, at: T0 + i });
    const ids = index.candidates(repeatProbe({ text, at: 0 }).keys).map((e) => e.id);
    expect(ids).toHaveLength(REPEAT_BUCKET_CAP);
    expect(ids).toContain(String(REPEAT_BUCKET_CAP + 9));
    expect(ids).not.toContain('0');
  });

  it('finds repeats and counts near copies by text', () => {
    const index = new RepeatIndex();
    index.add({ id: '1', text: 'На перекрёстке Ленина и Советской не работает светофор' });
    expect(index.find({ text: 'Не работает светофор на перекрёстке Ленина и Советской' })).toMatchObject({ incidentId: '1', by: 'text' });
    expect(index.find({ text: 'Когда откроется каток в парке?' })).toBeNull();
    expect(index.countNearCopies('На перекрёстке Ленина и Советской не работает светофор')).toBe(1);
  });
});
