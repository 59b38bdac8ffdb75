import { describe, expect, it } from '@jest/globals';
import { Classifier } from '../../classifiers/verdict.js';
import { isHeldBack, latestCorrections, repeatUnlinks, retrain, type Correction } from '../../classifiers/learning.js';
import { RepeatIndex } from '../../classifiers/repeat.js';

const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 24, 9, minute));
const topic = (text: string, value: string, minute = 0): Correction => ({ text, kind: 'topic', value, by: 'curator-1', at: at(minute) });

// A tenant whose curators file gas supply under a topic of their own.
const GAS = [
  'Когда проведут газ на улицу Заречную? Ждём десять лет',
  'Газификация посёлка Лесной: есть ли сроки подключения домов?',
  'Газопровод до нашей улицы так и не дотянули',
  'Просим включить деревню в программу газификации',
  'Сколько стоит подключение частного дома к газу по догазификации?',
  'Газовики не подключают дом, хотя труба уже у забора',
  'Обещали газ в село к осени, работы не начаты',
  'Кто оплачивает газопровод по участку при догазификации?',
  'Газораспределительная организация затягивает подключение',
  'Нашу улицу исключили из плана газификации, почему?',
  'Договор на подключение газа подписали год назад, газа нет',
  'Будет ли газ в новом микрорайоне?',
];

describe('retraining from curator corrections', () => {
  it('changes later suggestions after a curator corrects topics', () => {
    const before = new Classifier();
    const probe = 'Когда к нам в деревню проведут газ? Газопровод есть в соседнем селе';
    expect(before.classify(probe).topic.value).not.toBe('газификация');

    const result = retrain({ corrections: GAS.map((t, i) => topic(t, 'газификация', i)), now: at(30) });
    expect(result.accepted).toBe(true);
    const after = Classifier.fromModel(result.model);
    expect(after.classify(probe).topic.value).toBe('газификация');
    expect(after.classify(probe).modelVersion).toBe(result.model.version);
    expect(result.model.version).not.toBe(before.modelVersion);
  });

  it('keeps the current model when the candidate scores worse on the held-back corrections', () => {
    const good = retrain({ corrections: GAS.map((t, i) => topic(t, 'газификация', i)), now: at(30) });
    // The held-back part stays right; the rest of the new corrections are mistakes.
    const held = GAS.filter((t) => isHeldBack(t));
    const trained = GAS.filter((t) => !isHeldBack(t));
    expect(held.length).toBeGreaterThan(0);
    const noisy = [
      ...held.map((t, i) => topic(t, 'газификация', 40 + i)),
      ...trained.map((t, i) => topic(t, 'культура и спорт', 40 + i)),
      ...trained.map((t, i) => topic(`${t} снова`, 'культура и спорт', 60 + i)),
    ];
    const next = retrain({ corrections: noisy, current: good.model, now: at(90) });
    expect(next.candidateAccuracy).toBeLessThan(next.currentAccuracy!);
    expect(next.accepted).toBe(false);
    expect(next.model).toBe(good.model);
  });

  it('trains on the tenant’s own topic list, which curators extend', () => {
    const topics = ['ЖКХ', 'дороги', 'газификация'];
    const result = retrain({ corrections: GAS.map((t, i) => topic(t, 'газификация', i)), topics, now: at(30) });
    expect(result.model.topicModel.topics).toEqual(topics);
    const c = Classifier.fromModel(result.model);
    expect(c.classify('Когда починят яму на дороге у школы?').topic.value).toBe('дороги');
    expect(c.classify('Газопровод до улицы так и не провели').topic.value).toBe('газификация');
  });

  it('lets the latest correction of a text win', () => {
    const list = latestCorrections([topic('Нет газа', 'ЖКХ', 1), topic('Нет газа', 'газификация', 5), topic('Нет  газа', 'ЖКХ', 3)]);
    expect(list).toHaveLength(1);
    expect(list[0]!.value).toBe('газификация');
  });

  it('turns an unrejected obscene verdict into a tenant exclusion', () => {
    const text = 'Жители хутора Ебеньки просят отремонтировать мост';
    expect(new Classifier().classify(text).reasonCode).toBe('obscene');
    const result = retrain({
      corrections: [{ text, kind: 'unreject', value: null, previous: 'obscene', evidence: ['Ебеньки'], by: 'curator-2', at: at(1) }],
      now: at(2),
    });
    expect(Classifier.fromModel(result.model).classify(text).rejected).toBe(false);
  });

  it('gives near copies the importance and place the curator set', () => {
    const text = 'Паром через Амур не ходит второй день, в посёлке кончаются продукты';
    const gazetteer = [{ name: 'Нижнее Пронге', kind: 'settlement' as const }];
    expect(new Classifier({ gazetteer }).classify(text)).toMatchObject({ importance: { value: 'normal' }, location: null });
    const result = retrain({
      corrections: [
        { text, kind: 'importance', value: 'high', by: 'curator-1', at: at(1) },
        { text, kind: 'location', value: 'Нижнее Пронге', by: 'curator-1', at: at(2) },
      ],
      now: at(3),
    });
    const v = Classifier.fromModel(result.model, { gazetteer }).classify('Паром через Амур не ходит уже второй день, в посёлке кончаются продукты!');
    expect(v.importance).toMatchObject({ value: 'high', reason: 'Как в похожем сообщении, которое куратор отметил как важное' });
    expect(v.location).toMatchObject({ value: 'Нижнее Пронге', kind: 'settlement', confidence: 'low' });
    // An unrelated message keeps the rules' suggestions.
    expect(Classifier.fromModel(result.model, { gazetteer }).classify('Когда покрасят лавочки?').importance.value).toBe('normal');
  });

  it('rejects near copies of a text the curator rejected', () => {
    const text = 'Всем привет! Лучшие ритуальные услуги в районе у нас, пишите, ответим быстро';
    expect(new Classifier().classify(text).rejected).toBe(false);
    const result = retrain({ corrections: [{ text, kind: 'reject', value: 'advertising', by: 'curator-1', at: at(1) }], now: at(2) });
    const v = Classifier.fromModel(result.model).classify('Всем привет! Лучшие ритуальные услуги в районе у нас, пишите нам, ответим быстро');
    expect(v).toMatchObject({ rejected: true, reasonCode: 'advertising' });
  });
});

describe('unlinking a wrong repeat teaches', () => {
  const earlier = 'Не горят фонари на улице Мира у дома 12, вечером темно';
  const message = 'На улице Мира у дома 12 сломали лавочку и урну, вечером там шумят подростки';
  const unlink: Correction = { text: message, kind: 'unlink-repeat', value: '12', previous: 'place', evidence: [earlier], by: 'curator-1', at: at(5) };

  function indexWithEarlier(): RepeatIndex {
    const index = new RepeatIndex();
    index.add({ id: '12', text: earlier, location: 'улица Мира', house: '12', topic: 'благоустройство', at: at(0).getTime() });
    return index;
  }

  it('links them before: same street, house and topic, some words in common', () => {
    const v = new Classifier().classifyAgainst(indexWithEarlier(), { text: message, at: at(1).getTime() });
    expect(v.topic.value).toBe('благоустройство');
    expect(v.repeatOf).toMatchObject({ incidentId: '12', by: 'place' });
  });

  it('does not link the pair again once the curator unlinked it, at once and after a retrain', () => {
    const unlinks = repeatUnlinks([unlink]);
    expect(unlinks).toEqual([{ text: message, incidentId: '12', otherText: earlier }]);
    const now = new Classifier({ repeatUnlinks: unlinks });
    expect(now.classifyAgainst(indexWithEarlier(), { text: message, at: at(6).getTime() }).repeatOf).toBeNull();
    // A near copy of the message posted again is not linked either.
    expect(now.classifyAgainst(indexWithEarlier(), { text: `${message}!`, at: at(7).getTime() }).repeatOf).toBeNull();

    const result = retrain({ corrections: [unlink], now: at(30) });
    expect(result.model.repeatUnlinks).toEqual(unlinks);
    const retrained = Classifier.fromModel(result.model);
    expect(retrained.classifyAgainst(indexWithEarlier(), { text: message, at: at(31).getTime() }).repeatOf).toBeNull();
    // Other messages about the lamps are still repeats of it.
    expect(retrained.classifyAgainst(indexWithEarlier(), { text: 'Фонари на улице Мира у дома 12 так и не горят, вечером темно', at: at(32).getTime() }).repeatOf)
      .toMatchObject({ incidentId: '12' });
  });
});
