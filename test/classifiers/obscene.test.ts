import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { normalize } from '../../classifiers/normalize.js';
import { detectObscene } from '../../classifiers/obscene.js';

const obscene = (text: string, exclusions?: ReadonlySet<string>): boolean =>
  detectObscene(normalize(text), exclusions ? { exclusions } : {}) !== null;

describe('obscene language by roots and derivation', () => {
  it.each([
    'хуй', 'нахуй', 'похуй', 'охуеть', 'нихуя', 'хуёвый', 'схуяли', 'хули', 'пизда', 'пиздец', 'спиздили', 'распиздяй',
    'ебать', 'заебали', 'выебываться', 'уебок', 'ёбаный', 'разъебали', 'съебались', 'долбоёб', 'еблан', 'наебали',
    'блядь', 'блять', 'бля', 'выблядок', 'манда', 'мудак', 'мудила', 'залупа', 'пидор', 'пидарас', 'гандон', 'гондон',
    'шлюха', 'сука', 'сучара', 'дрочить', 'херня', 'похер', 'пздц', 'ипаный', 'ни хера', 'остоебенило', 'остохуело', 'злоебучий', 'ёпта',
    'вхуярить', 'прохуярить', 'мозгоёб', 'хитровыебанный', 'кривохуй', 'однохуйственно', 'мудохать', 'невъебенный', 'охереть',
  ])('finds «%s»', (word) => {
    expect(obscene(`вот ${word} опять`)).toBe(true);
  });

  it.each([
    'страхуй машину', 'застрахуйте дом', 'психует водитель', 'плохую дорогу', 'сухую траву', 'тихую улицу', 'глухую стену',
    'оскорбление', 'употреблять', 'употребление', 'хлебать', 'себестоимость', 'себе', 'небо', 'требовать', 'колебания', 'погребать',
    'вебинар', 'командировка', 'команда', 'мандарин', 'мандат', 'мандраж', 'корабль', 'рубль', 'скипидар', 'бляха ремня',
    'мудрый', 'хутор', 'Хуторская улица', 'худой', 'художник', 'хулиган', 'Херсон', 'херувим', 'педикюр', 'сукно', 'психиатр',
    'Ебургский тракт', 'ухудшение', 'похудеть', 'потребитель', 'гребля', 'оглобля', 'колеблется', 'выхухоль', 'сук дерева', 'ипотека', 'наход', 'нахожу', 'обрезать сучья', 'Ипатьевский переулок', 'Мандельштама улица', 'не бо', 'ху дожник', 'с уками', 'на хутор', 'по хуторам', 'бл ины', 'біля школи', 'Діти ходять біля дороги', 'двоеборье', 'троеборье', 'двоебрачие', 'лапидарный стиль', 'похерили мою заявку', 'похуже', 'прохудилась крыша', 'вхутемас', 'мудрить',
  ])('does not flag «%s»', (text) => {
    expect(obscene(text)).toBe(false);
  });

  it.each([
    'х у й н я', 'п.и.з.д.е.ц', 'бл*ть', 'х*й', 'п**да', 'ох*еть', 'xyйня', 'nahuy', 'pizdec', 'пи3дец', 'п@здец', 'е6ать',
    'ПИИИЗДЕЕЕЦ', 'бляяяя', 'б-л-я-т-ь', 'пиzдец', 'xуй', 'хуйн\u200bя', 'с у к а', 'ХУ*ЛО', 'мyдак',
    'bl9', 'pi3da', 'пи зда', 'ху йня', 'бл ять', 'е бать', 'пиз дец', 'х*у*й', 'п*и*з*д*е*ц', 'х😀у😀й',
  ])('sees through «%s»', (text) => {
    expect(obscene(text)).toBe(true);
  });

  it('names the words as evidence', () => {
    expect(detectObscene(normalize('Дорога — пиздец, а вам похуй'))?.evidence).toEqual(['пиздец', 'похуй']);
  });

  it('honours a tenant exclusion', () => {
    expect(obscene('сука', new Set(['сука']))).toBe(false);
  });

  it('finds a root however the word is cased or stretched', () => {
    fc.assert(fc.property(
      fc.constantFrom('пиздец', 'нахуй', 'заебали', 'блядь', 'мудак'),
      fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 }),
      (word, upper, at, times) => {
        const cased = [...word].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
        const stretched = cased.slice(0, at) + (cased[at] ?? '').repeat(times) + cased.slice(at + 1);
        return obscene(`да ${stretched}!`);
      },
    ));
  });

  it('never flags the innocent look-alikes whatever their case', () => {
    fc.assert(fc.property(
      fc.constantFrom('страхуй', 'психует', 'плохую', 'себе', 'хлебать', 'употреблять', 'оскорбление', 'командировка', 'скипидар'),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      (word, upper) => !obscene([...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')),
    ));
  });
});
