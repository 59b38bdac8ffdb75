import { describe, expect, it } from '@jest/globals';
import { Lexicon, LexiconError, vowelSkeleton } from '../../classifiers/lexicon.js';
import { normalize } from '../../classifiers/normalize.js';

const tokens = (text: string) => normalize(text).tokens;

describe('the lexicon grammar', () => {
  const lex = new Lexicon('test.ts', `
# a comment
@set N = - а у ом ы ов
[words]
дебил{N}  ~           # endings from the set, misspellings by vowel
пизд…                 # any ending
…залуп…               # anywhere in the word
вор(ы|ов|)
сук(а|и)  unless=щен…,собак…
[phrases]
(иди|идите) (ты|вы)? (в жопу|к черту)
на кол  needs=target
`, ['phrases']);
  const words = lex.wordList('words');

  it('matches whole words with the endings of a set', () => {
    expect(['дебил', 'дебилу', 'дебилов', 'пиздец', 'позалупаться', 'воры', 'вор'].map((w) => words.test(w))).toEqual([true, true, true, true, true, true, true]);
    expect(['дебилизм', 'вора', 'спиздить', 'худебил'].map((w) => words.test(w))).toEqual([false, false, false, false]);
  });

  it('finds the usual vowel misspellings of a ~ entry and only of it', () => {
    expect(vowelSkeleton('идеоты')).toBe(vowelSkeleton('идиоты'));
    expect(words.test('дибилы')).toBe(true);
    expect(words.test('вары')).toBe(false);
  });

  it('honours unless= in the whole message', () => {
    const list = lex.wordList('words');
    expect(list.find(tokens('ну ты и сука'))).toEqual([3]);
    expect(list.find(tokens('сука с щенками живёт под крыльцом'))).toEqual([]);
    expect(list.find(tokens('у магазина стая собак и сука с ними'))).toEqual([]);
  });

  it('finds phrases with optional items and groups of several words, and needs=target only with a target', () => {
    const phrases = lex.phraseList('phrases');
    expect(phrases.find(' идите вы в жопу ')).toEqual(['идите вы в жопу']);
    expect(phrases.find(' иди к черту ')).toEqual(['иди к черту']);
    expect(phrases.find(' всех на кол ')).toEqual([]);
    expect(phrases.find(' всех на кол ', true)).toEqual(['на кол']);
  });

  it('finds a phrase whatever it begins with, at any word of the sentence, in the order of the list', () => {
    const phrases = new Lexicon('test.ts', `
[lead]
(ну|да)? хватит (врать|воровать)
(в расход|под нож) пустить
* по миру
`, ['lead']).phraseList('lead');
    expect(phrases.find(' хватит врать ')).toEqual(['хватит врать']);
    expect(phrases.find(' ну хватит воровать ')).toEqual(['ну хватит воровать']);
    expect(phrases.find(' хватит уже хватит врать ')).toEqual(['хватит врать']);
    expect(phrases.find(' всех под нож пустить ')).toEqual(['под нож пустить']);
    expect(phrases.find(' пустили всех по миру ')).toEqual(['всех по миру']);
    expect(phrases.find(' всех по миру а потом в расход пустить хватит врать ')).toEqual(['хватит врать', 'в расход пустить', 'всех по миру']);
    expect(phrases.find(' хватит уже врать под ножом ')).toEqual([]);
  });

  it.each([
    ['[words]\nдур(а', 'test.ts:2: «дур(а»: ( without )'],
    ['[words]\nдура)', 'test.ts:2: «дура)»: ) without ('],
    ['[words]\nдур{X}', 'test.ts:2: «дур{x}»: unknown set {x}'],
    ['[words]\nдура  !', 'test.ts:2: unknown option «!»'],
    ['дура', 'test.ts:1: an entry before the first [section]'],
    ['[words]\nдура$', 'test.ts:2: «дура$»: «$» is not part of the grammar'],
    ['[words]\nдура дурак', 'test.ts:2: «дура дурак»: a space inside a word'],
  ])('stops the load on a mistake, naming file and line: %j', (text, message) => {
    expect(() => new Lexicon('test.ts', text)).toThrow(LexiconError);
    expect(() => new Lexicon('test.ts', text)).toThrow(message);
  });
});
