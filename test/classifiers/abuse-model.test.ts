import { describe, expect, it } from '@jest/globals';
import { Classifier } from '../../classifiers/verdict.js';
import { normalize } from '../../classifiers/normalize.js';
import { retrain } from '../../classifiers/learning.js';

// Sentences written for these tests, none copied from bench/data or the corpora: threats and
// wishes of violence phrased so that no rule of the lexicon catches them, and complaints
// that only look dangerous.
const rulesOnly = new Classifier({ abuseModel: null });
const classifier = new Classifier();
const words = (text: string): string[] => normalize(text).tokens.map((t) => t.raw);

describe('the abuse model beside the rules', () => {
  it.each([
    ['дождётесь, что однажды вечером встречу вас у подъезда и поговорим по-другому'],
    ['чтоб у вас в кабинетах крыша на головы упала'],
    ['я этого соседа с собакой когда-нибудь с лестницы спущу'],
    ['пусть этих прорабов бетоном зальют вместе с их отчётами'],
    ['скоро эти бюрократы попляшут у меня, по одному выловлю'],
    ['соседскому коту лапы переломаю, если ещё раз залезет'],
    ['мечтаю увидеть как вашу мэрию экскаватором сносят вместе с сотрудниками'],
  ])('rejects «%s», which no rule catches, for a reason of violence with words of the text as evidence', (text) => {
    expect(rulesOnly.classify(text).rejected).toBe(false);
    const v = classifier.classify(text);
    expect(v.rejected).toBe(true);
    expect(['threat', 'violence-call', 'harm-intent']).toContain(v.reasonCode);
    expect(v.reason).not.toBeNull();
    expect(v.evidence.length).toBeGreaterThan(0);
    for (const w of v.evidence) expect(words(text)).toContain(w);
  });

  it.each([
    'ремонт подъезда просто убил: краска облезла через неделю',
    'хотим снести старые сараи во дворе, кто разрешение даёт?',
    'в школе учат стрелять из пневматики на ОБЖ, это законно?',
    'соседи опять жарят шашлык на балконе, дым валит к нам',
    'кот застрял на дереве у дома 5, третий день орёт, снимите его',
    'по телевизору показали как в соседнем районе сожгли склад, у нас такой же без охраны',
    'надо срочно травить борщевик вдоль дороги на Сосновку',
    'как отравить кротов на участке без вреда для собаки?',
    'внук играет в стрелялку и кричит «убью всех», это нормально?',
  ])('accepts the trap «%s»', (text) => {
    expect(classifier.classify(text).rejected).toBe(false);
  });

  // «позорище» aimed at the reader («снимете») is an insult to the rules; here it names the timetable.
  const quotingSpam = 'Расписание на остановке висит с 2015 года, автобусы по нему давно не ходят. Может снимете позорище';

  it('overrules the rules where it is sure a complaint quoting spam is acceptable', () => {
    expect(rulesOnly.classify(quotingSpam).rejected).toBe(true);
    expect(classifier.classify(quotingSpam).rejected).toBe(false);
  });

  it('does not overrule the rules for a text posted again and again', () => {
    expect(classifier.classify(quotingSpam, { sameTextCount: 5 }).rejected).toBe(true);
  });

  it('does not reject what a curator unrejected, nor near copies of it, and learns it', () => {
    const text = 'скоро эти бюрократы попляшут у меня, по одному выловлю';
    const copy = 'скоро эти бюрократы попляшут у меня, по одному их выловлю!';
    expect(classifier.classify(copy).rejected).toBe(true);
    const corrected = new Classifier({ curatorUnrejections: [text] });
    expect(corrected.classify(text).rejected).toBe(false);
    expect(corrected.classify(copy).rejected).toBe(false);
    // Not only the memory of near copies: the model's own verdict changed.
    expect(corrected.modelRejection(normalize(text))).toBeNull();
    // Other threats are still rejected.
    expect(corrected.classify('дождётесь, что однажды вечером встречу вас у подъезда и поговорим по-другому').rejected).toBe(true);
  });

  it('keeps an unrejection through a retrain, until the curator rejects the text again', () => {
    const text = 'скоро эти бюрократы попляшут у меня, по одному выловлю';
    const at = (minutes: number): Date => new Date(Date.UTC(2026, 0, 10, 9, minutes));
    const unrejected = retrain({ corrections: [{ text, kind: 'unreject', value: null, previous: 'threat', evidence: ['попляшут'], by: 'curator-1', at: at(1) }], now: at(2) });
    expect(unrejected.model.curatorUnrejections).toEqual([text]);
    expect(Classifier.fromModel(unrejected.model).classify(text).rejected).toBe(false);
    const rejectedAgain = retrain({
      corrections: [
        { text, kind: 'unreject', value: null, previous: 'threat', evidence: ['попляшут'], by: 'curator-1', at: at(1) },
        { text, kind: 'reject', value: 'threat', by: 'curator-2', at: at(3) },
      ],
      now: at(4),
    });
    expect(rejectedAgain.model.curatorUnrejections).toEqual([]);
    expect(Classifier.fromModel(rejectedAgain.model).classify(text).reasonCode).toBe('threat');
  });

  it('learns a text the curator rejected: the model itself rejects it afterwards', () => {
    const text = 'вот бы на вашу управу метеорит упал в рабочее время';
    expect(classifier.classify(text).rejected).toBe(false);
    const corrected = new Classifier({ curatorRejections: [{ text, reason: 'violence-call' }] });
    expect(corrected.modelRejection(normalize(text))?.reason).toBe('violence-call');
    expect(corrected.classify('соседи опять жарят шашлык на балконе, дым валит к нам').rejected).toBe(false);
  });
});
