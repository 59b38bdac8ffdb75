/**
 * Language of the message with franc. Russian is expected; another language is flagged
 * for the curator, never a reason to reject. franc alone guesses «mkd» or «bul» for
 * short Russian sentences, so it chooses only among the languages people here write in,
 * and a short text in Cyrillic without letters of other Cyrillic alphabets is Russian.
 */
import { franc } from 'franc';

export const EXPECTED_LANGUAGES = ['rus', 'ukr', 'bel', 'eng', 'kaz', 'tat', 'uzb', 'tgk', 'kir', 'deu'] as const;

export interface LanguageResult {
  /** ISO 639-3 code, or 'und' when the text has too few letters. */
  readonly code: string;
  readonly russian: boolean;
}

const MIN_FRANC_LENGTH = 40;

export function detectLanguage(text: string): LanguageResult {
  const counted = countPlainLetters(text) ?? countLetters(text);
  if (counted.letters < 3) return { code: 'und', russian: true };
  return decide(text, counted);
}

interface LetterCount {
  readonly letters: number;
  readonly cyrillic: number;
  /** Letters of the Ukrainian, Belarusian or Turkic Cyrillic alphabets. */
  readonly otherCyrillic: boolean;
}

function countLetters(text: string): LetterCount {
  const letters = text.replace(/[^\p{L}]/gu, '');
  // Counted by what removing them takes away: no array of matches (one letter each, all in the BMP).
  const cyrillic = letters.length - letters.replace(/[а-яё]/giu, '').length;
  return { letters: letters.length, cyrillic, otherCyrillic: /[іїєґўқңғүұһәөҗ]/iu.test(letters) };
}

/**
 * `countLetters` in one pass for a text of Latin and Russian letters, digits and the usual
 * signs (most comments; the Unicode letter class over a long comment cost more than the
 * rest of the decision); null when it holds another character.
 */
function countPlainLetters(text: string): LetterCount | null {
  let letters = 0;
  let cyrillic = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x430 && c <= 0x44f) || (c >= 0x410 && c <= 0x42f) || c === 0x451 || c === 0x401) { letters++; cyrillic++; }
    else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) letters++;
    else if (c >= 0x80 && !NOT_LETTERS.has(c)) return null;
  }
  return { letters, cyrillic, otherCyrillic: false };
}

/** Signs beyond ASCII common in comments that are no letters: « » — – … № ° ₽ and the no-break space. */
const NOT_LETTERS: ReadonlySet<number> = new Set([0xab, 0xbb, 0x2014, 0x2013, 0x2026, 0x2116, 0xb0, 0x20bd, 0xa0, 0x2029]);

function decide(text: string, { letters, cyrillic: cyr, otherCyrillic: otherCyr }: LetterCount): LanguageResult {
  // Cyrillic without the letters of Ukrainian, Belarusian or the Turkic alphabets can
  // only be Russian among the expected languages; franc decides the rest.
  if (!otherCyr && cyr / letters > 0.9) return { code: 'rus', russian: true };
  if (letters < MIN_FRANC_LENGTH) {
    if (cyr / letters > 0.7 && !otherCyr) return { code: 'rus', russian: true };
    if (cyr === 0) {
      const code = franc(text, { only: [...EXPECTED_LANGUAGES], minLength: 3 });
      return { code, russian: false };
    }
  }
  const code = franc(text, { only: [...EXPECTED_LANGUAGES], minLength: 10 });
  if (code === 'und') return { code: cyr / letters > 0.5 && !otherCyr ? 'rus' : 'und', russian: true };
  return { code, russian: code === 'rus' };
}
