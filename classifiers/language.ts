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
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length < 3) return { code: 'und', russian: true };
  // Counted by what removing them takes away: no array of matches (one letter each, all in the BMP).
  const cyr = letters.length - letters.replace(/[а-яё]/giu, '').length;
  const otherCyr = /[іїєґўқңғүұһәөҗ]/iu.test(letters);
  // Cyrillic without the letters of Ukrainian, Belarusian or the Turkic alphabets can
  // only be Russian among the expected languages; franc decides the rest.
  if (!otherCyr && cyr / letters.length > 0.9) return { code: 'rus', russian: true };
  if (letters.length < MIN_FRANC_LENGTH) {
    if (cyr / letters.length > 0.7 && !otherCyr) return { code: 'rus', russian: true };
    if (cyr === 0) {
      const code = franc(text, { only: [...EXPECTED_LANGUAGES], minLength: 3 });
      return { code, russian: false };
    }
  }
  const code = franc(text, { only: [...EXPECTED_LANGUAGES], minLength: 10 });
  if (code === 'und') return { code: cyr / letters.length > 0.5 && !otherCyr ? 'rus' : 'und', russian: true };
  return { code, russian: code === 'rus' };
}
