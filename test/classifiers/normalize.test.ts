import { describe, expect, it } from '@jest/globals';
import { normalize, plainWords } from '../../classifiers/normalize.js';

const readings = (text: string): string[][] => normalize(text).tokens.map((t) => [...t.folded]);

describe('normalize', () => {
  it('lower-cases and writes ё as е', () => {
    expect(normalize('ЁЛКА Ещё').text).toBe('елка еще');
  });

  it('maps Latin and digit look-alikes inside Cyrillic words', () => {
    expect(readings('xyйня')[0]).toContain('хуйня');
    expect(readings('e6aть')[0]).toContain('ебать');
    expect(readings('пи3дец')[0]).toContain('пиздец');
    expect(readings('п@здец')[0]).toContain('п*здец');
  });

  it('leaves plain numbers and English words alone', () => {
    const n = normalize('3 этажа, 2024 год, support team');
    expect(plainWords(n)).toEqual(['3', 'этажа', '2024', 'год', 'support', 'team']);
  });

  it('transliterates words written wholly in Latin', () => {
    expect(readings('nahuy')[0]).toContain('нахуй');
    expect(readings('blyad')[0]).toContain('бляд');
  });

  it('joins letters split by spaces, dots, dashes and underscores', () => {
    expect(readings('х у й')).toEqual([['хуй']]);
    expect(readings('б-л-я-т-ь')).toEqual([['блять']]);
    expect(readings('п.и.з.д.а')).toEqual([['пизда']]);
    expect(readings('Х_У_Й вам')[0]).toContain('хуй');
  });

  it('does not glue ordinary short words together', () => {
    expect(normalize('я и ты в доме').tokens.map((t) => t.raw)).toEqual(['я', 'и', 'ты', 'в', 'доме']);
  });

  it('removes zero-width and combining characters', () => {
    expect(readings('х\u200bу\u200bй\u200bня')[0]).toContain('хуйня');
    expect(readings('с\u0336у\u0336к\u0336а')[0]).toContain('сука');
  });

  it('squeezes stretched letters and keeps real doubles in the first reading', () => {
    expect(readings('бляяяяя')[0]![0]).toBe('бля');
    expect(readings('расстрелять')[0]![0]).toBe('расстрелять');
    expect(readings('ссука')[0]).toContain('сука');
  });

  it('keeps masks for the obscene rule', () => {
    expect(readings('бл*ть')[0]).toContain('бл*ть');
  });

  it('takes URLs, mentions, phones and emoji aside', () => {
    const n = normalize('Звоните +7 (912) 345-67-89 или 8 900 111 22 33, сайт https://shop.ru/x и okna-deshevo.ru 😀 [id1|Вася] @petrov');
    expect(n.phones).toEqual(['+79123456789', '89001112233']);
    expect(n.urls).toEqual(['https://shop.ru/x', 'okna-deshevo.ru']);
    expect(n.emoji).toEqual(['😀']);
    expect(n.mentions).toEqual(['[id1|вася]', '@petrov']);
    expect(n.text).not.toMatch(/shop|petrov|912|😀/);
  });

  it('marks words inside quotation marks', () => {
    const n = normalize('Он сказал «ты дурак» и ушёл');
    expect(n.tokens.filter((t) => t.quoted).map((t) => t.raw)).toEqual(['ты', 'дурак']);
  });
});
