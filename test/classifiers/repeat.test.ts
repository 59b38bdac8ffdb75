import { describe, expect, it } from '@jest/globals';
import { jaccard, RepeatIndex, shingles } from '../../classifiers/repeat.js';

describe('repeat detection', () => {
  const index = new RepeatIndex();
  index.add({ id: '101', text: 'Третий день нет горячей воды в доме 14 на улице Гагарина, управляющая компания молчит', author: 'vk:1', location: 'улица Гагарина' });
  index.add({ id: '102', text: 'На перекрёстке Ленина и Советской не работает светофор', author: 'vk:2', location: 'улица Ленина' });
  index.add({ id: '103', text: 'Во дворе сломаны качели на детской площадке', author: 'vk:3' });

  it('finds the same problem in other words', () => {
    const m = index.find({ text: 'Опять нет горячей воды в доме 14 на улице Гагарина, управляющая компания не отвечает' });
    expect(m).toMatchObject({ incidentId: '101', by: 'text' });
    expect(m!.similarity).toBeGreaterThan(0.5);
  });

  it('accepts a looser match at the same location', () => {
    const text = 'Светофор на перекрёстке Ленина опять не работает, машины едут как попало';
    expect(index.find({ text, location: 'улица Ленина' })).toMatchObject({ incidentId: '102', by: 'text' });
  });

  it('names the same author’s earlier incident when the text is new', () => {
    expect(index.find({ text: 'А когда покрасят забор у школы?', author: 'vk:3' })).toMatchObject({ incidentId: '103', by: 'author' });
  });

  it('finds nothing for a new problem by a new author', () => {
    expect(index.find({ text: 'Когда откроется каток в парке?', author: 'vk:9' })).toBeNull();
  });

  it('counts near copies for spam', () => {
    const spam = new RepeatIndex();
    for (let i = 0; i < 4; i++) spam.add({ id: String(i), text: 'Лучшие окна в городе, звоните, скидки всем' });
    expect(spam.countNearCopies('Лучшие окна в городе, звоните, скидки всем!')).toBe(4);
    expect(spam.countNearCopies('Когда починят дорогу?')).toBe(0);
  });

  it('computes Jaccard similarity of shingle sets', () => {
    const a = shingles('нет горячей воды в доме');
    expect(jaccard(a, a)).toBe(1);
    expect(jaccard(a, shingles('сломаны качели во дворе'))).toBe(0);
  });
});
