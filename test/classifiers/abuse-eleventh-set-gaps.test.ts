import { describe, expect, it } from '@jest/globals';
import { Classifier } from '../../classifiers/verdict.js';

// A gap the eleventh and twelfth blind sets showed (the hyperbole about oneself is in
// violence-call.test.ts), written as a rule for any writer and
// checked both ways. The rules alone decide here (no model), so a rule that stops firing fails.
const rules = new Classifier({ abuseModel: null });
const reason = (text: string): string | null => rules.classify(text).reasonCode;

describe('a scratch promised with its tool is harm', () => {
  it.each([
    'Я участковому машину разукрашу гвоздём, за его бездействие',
    'соседу дверь исцарапаю ключом, пусть знает',
    'Тачку курьера, что загораживает проезд, сейчас пойду поцарапаю гвоздём от души',
  ])('rejects «%s»', (text) => {
    expect(reason(text)).not.toBeNull();
  });

  it.each([
    'кто-то поцарапал гвоздём машину во дворе, камеры есть?',
    'ребёнок гвоздём поцарапал дверь лифта, кто будет менять',
    'сам поцарапаю гвоздём свою старую ванну, не жалко',
  ])('accepts a report or one\'s own thing: «%s»', (text) => {
    expect(reason(text)).toBeNull();
  });
});
