import { describe, expect, it } from '@jest/globals';
import { Classifier, toStoredVerdict } from '../../classifiers/verdict.js';
import { RepeatIndex, type RepeatEntry } from '../../classifiers/repeat.js';
import { topicModelFor, topicsVersion, DEFAULT_MODEL_VERSION } from '../../classifiers/default-model.js';
import { DEFAULT_TOPICS, TOPIC_TRAINING } from '../../classifiers/data/topic-training.js';

describe('verdict', () => {
  const classifier = new Classifier({ gazetteer: [{ name: 'улица Гагарина', kind: 'street' }] });

  it('suggests topic, location and importance for a message to process', () => {
    const v = classifier.classify('Третий день нет холодной воды в доме 14 по улице Гагарина, управляющая компания молчит');
    expect(v).toMatchObject({ rejected: false, reason: null, reasonCode: null, evidence: [], competence: null, repeatOf: null });
    expect(v.topic.value).toBe('ЖКХ');
    expect(v.topic.confidence).toBeGreaterThan(0.5);
    expect(v.location).toMatchObject({ value: 'улица Гагарина', house: '14' });
    expect(v.importance).toMatchObject({ value: 'high', reason: 'Нет водоснабжения' });
    expect(v.language).toEqual({ code: 'rus', russian: true });
    expect(v.modelVersion).toMatch(/^default-[0-9a-f]{8}$/);
  });

  it('rejects with the gravest reason first and keeps the other reasons', () => {
    const v = classifier.classify('Вы дебилы, я вас всех перестреляю');
    expect(v.rejected).toBe(true);
    expect(v.reasonCode).toBe('threat');
    expect(v.reason).toBe('Угроза жизни, здоровью или имуществу должностных лиц, органам власти');
    expect(v.reasons.map((r) => r.reason)).toEqual(['threat', 'insult']);
    expect(v.evidence).toContain('перестреляю');
  });

  it('suggests «вне компетенции» without rejecting', () => {
    const v = classifier.classify('Почему судебные приставы арестовали мою карту?');
    expect(v.rejected).toBe(false);
    expect(v.competence).toMatchObject({ label: 'вне компетенции', area: 'суды и ФССП' });
  });

  it('passes the repeat index answer through', () => {
    const v = classifier.classify('Снова нет воды', { repeatOf: { incidentId: '7', similarity: 0.8, by: 'text' } });
    expect(v.repeatOf).toEqual({ incidentId: '7', similarity: 0.8, by: 'text' });
  });

  it('stores the verdict with Russian labels and every reason', () => {
    const stored = toStoredVerdict(classifier.classify('Вы дебилы, я вас всех перестреляю'));
    expect(stored).toMatchObject({
      rejected: true,
      reason: 'Угроза жизни, здоровью или имуществу должностных лиц, органам власти',
      reasonCode: 'threat',
      otherReasons: [{ reason: 'Оскорбительные выражения', evidence: ['дебилы'] }],
      importance: { value: 'normal', reason: '' },
      language: 'rus',
    });
    expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
  });

  it('flags a message not in Russian for the curator without rejecting it', () => {
    const stored = toStoredVerdict(classifier.classify('Доброго дня! Коли відремонтують дорогу біля школи? Діти ходять по багнюці'));
    expect(stored).toMatchObject({ rejected: false, language: 'ukr', languageNote: 'Сообщение не на русском языке (ukr)' });
    expect(toStoredVerdict(classifier.classify('Когда починят дорогу у школы?')).languageNote).toBeNull();
  });

  it('suggests only the tenant’s topics before its first retrain', () => {
    const own = new Classifier({ topicModel: topicModelFor(['ЖКХ', 'транспорт']), modelVersion: topicsVersion(['ЖКХ', 'транспорт']) });
    const v = own.classify('Яма на дороге у школы, а автобус объезжает по дворам');
    expect(['ЖКХ', 'транспорт']).toContain(v.topic.value);
    expect(v.modelVersion).not.toBe(DEFAULT_MODEL_VERSION);
    expect(topicsVersion([])).toBe(DEFAULT_MODEL_VERSION);
  });

  it('finds repeats and spam against the tenant’s repeat index', () => {
    const index = new RepeatIndex();
    index.add({ id: '41', text: 'Нет холодной воды в доме 14 по улице Гагарина третий день', author: 'vk:5', location: 'улица Гагарина', house: '14', topic: 'ЖКХ' });
    const repeat = classifier.classifyAgainst(index, { text: 'Опять нет воды на улице Гагарина, дом 14, уже неделю', author: 'vk:9' });
    // Few words in common, but the same street, house and topic: the same problem.
    expect(repeat.repeatOf).toMatchObject({ incidentId: '41', by: 'place' });
    const spamText = 'Лучшие окна в городе! Подробности okna-best.ru';
    expect(classifier.classifyAgainst(index, { text: spamText }).rejected).toBe(false);
    for (let i = 0; i < 3; i++) index.add({ id: `s${i}`, text: spamText, author: `vk:${100 + i}` });
    expect(classifier.classifyAgainst(index, { text: spamText })).toMatchObject({ rejected: true, reasonCode: 'advertising' });
  });

  it('loads the shipped training texts: at least 40 per default topic', () => {
    for (const t of DEFAULT_TOPICS) expect(TOPIC_TRAINING[t].length).toBeGreaterThanOrEqual(40);
  });
});

describe('two steps, so the worker can look up repeat candidates for a batch between them', () => {
  const classifier = new Classifier();
  const DAY_MS = 24 * 3600 * 1000;
  const T0 = Date.UTC(2026, 10, 2, 7, 0);

  it('gives the verdict the text decides and the keys to look candidates up under', () => {
    const prepared = classifier.prepare({ text: 'Нет горячей воды в доме по ул. Гагарина, 14 третий день', author: 'vk:1', at: T0 });
    expect(prepared.repeatKeys).toHaveLength(13);
    expect(prepared.base).toMatchObject({ rejected: false, topic: { value: 'ЖКХ' }, location: { value: 'улица Гагарина', house: '14' } });
    const alone = classifier.complete(prepared, []);
    expect(alone).toEqual({ ...classifier.classify('Нет горячей воды в доме по ул. Гагарина, 14 третий день'), repeatOf: null });
  });

  it('links a later report of the same problem through what the store filed', () => {
    const first = classifier.prepare({ text: 'Нет горячей воды в доме по ул. Гагарина, 14 третий день', author: 'vk:1', at: T0 });
    classifier.complete(first, []);
    const stored = JSON.parse(JSON.stringify(first.repeatEntry('17'))) as RepeatEntry;
    const later = classifier.prepare({ text: 'Гагарина 14 — так и нет горячей воды, сколько ждать?', author: 'ok:2', at: T0 + 4 * DAY_MS });
    expect(later.repeatKeys.some((k) => first.repeatKeys.includes(k))).toBe(true);
    expect(classifier.complete(later, [stored]).repeatOf).toMatchObject({ incidentId: '17' });
  });

  it('makes the same text posted again and again spam, and files rejections as such', () => {
    const ad = 'Лучшие окна в городе! Подробности на okna-best.ru';
    const copies: RepeatEntry[] = [];
    for (let i = 0; i < 3; i++) {
      const p = classifier.prepare({ text: ad, author: `vk:${100 + i}`, at: T0 + i });
      expect(classifier.complete(p, copies).rejected).toBe(false);
      copies.push(p.repeatEntry(`a${i}`));
    }
    const fourth = classifier.prepare({ text: ad, author: 'vk:200', at: T0 + 10 });
    expect(classifier.complete(fourth, copies)).toMatchObject({ rejected: true, reasonCode: 'advertising', repeatOf: null });
    expect(fourth.repeatEntry('a3')).toMatchObject({ id: 'a3', rejected: true });
  });

  it('stores the runner-up topic and the address parts with the verdict', () => {
    const stored = toStoredVerdict(classifier.classify('В доме 9 по ул. Гагарина течёт крыша, заливает пятый этаж'));
    expect(stored.topic.second).toEqual({ value: expect.any(String), confidence: expect.any(Number) });
    expect(stored.location).toMatchObject({ value: 'улица Гагарина', street: 'Гагарина', house: '9', source: 'text' });
    expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
  });
});
