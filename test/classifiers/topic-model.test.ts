import { describe, expect, it } from '@jest/globals';
import { normalize } from '../../classifiers/normalize.js';
import { TopicModel, topicStems, type TopicModelData } from '../../classifiers/topic.js';

/** The stems the model reads in `text`, which must be two. */
function twoStems(text: string): [string, string] {
  const stems = topicStems(normalize(text));
  expect(stems).toHaveLength(2);
  return [stems[0]!, stems[1]!];
}

describe('topic model scoring', () => {
  // A stored model (a tenant's, or one read back from the store) may know a pair of words
  // without knowing its second word alone: the pair must still count.
  it('a stored pair decides the topic even when its second word was never seen alone', () => {
    const [hole, yard] = twoStems('яма двор');
    const [tap, leak] = twoStems('кран течь');
    const data: TopicModelData = {
      kind: 'multinomial-nb', alpha: 1, scoring: 'complement', topics: ['ЖКХ', 'Дороги'], docs: [1, 1],
      counts: [{ [tap]: 3, [`${tap}_${leak}`]: 3 }, { [hole]: 1, [`${hole}_${yard}`]: 3 }],
    };
    const model = new TopicModel(data);
    const withPair = model.classify(normalize('яма двор'));
    const withoutPair = model.classify(normalize('двор яма'));
    expect(withPair.value).toBe('Дороги');
    expect(withPair.confidence).toBeGreaterThan(withoutPair.confidence);
  });

  it('a word repeated weighs no more than once', () => {
    const model = TopicModel.train([
      { text: 'яма на дороге', topic: 'Дороги' }, { text: 'разбитая дорога яма', topic: 'Дороги' },
      { text: 'нет воды в кране', topic: 'ЖКХ' }, { text: 'течёт кран в подвале', topic: 'ЖКХ' },
    ], { calibrate: false });
    const once = model.classify(normalize('яма'));
    expect(once.value).toBe('Дороги');
    expect(model.classify(normalize('яма, яма, яма!'))).toEqual(once);
  });

  it('features with equal counts in one topic score alike, and each message keeps its own score', () => {
    const model = TopicModel.train([
      { text: 'яма дорога асфальт', topic: 'Дороги' }, { text: 'вода кран подвал', topic: 'ЖКХ' }, { text: 'автобус маршрут остановка', topic: 'Транспорт' },
    ], { calibrate: false });
    const road = model.classify(normalize('асфальт'));
    const water = model.classify(normalize('подвал'));
    expect(road.value).toBe('Дороги');
    expect(water.value).toBe('ЖКХ');
    expect(model.classify(normalize('яма'))).toEqual(road);
    expect(road.confidence).toBeCloseTo(water.confidence, 9);
  });
});
