import { describe, expect, it } from '@jest/globals';
import { Classifier, toStoredVerdict } from '../../classifiers/verdict.js';
import { RepeatIndex } from '../../classifiers/repeat.js';
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
