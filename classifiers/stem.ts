/**
 * Russian stems for the statistical classifiers and the gazetteer, with natural's
 * Porter stemmer (imported by path so that only the stemmer loads). Stems are cached:
 * the vocabulary of municipal messages is small and stemming dominates the time spent
 * on a message otherwise.
 */
import PorterStemmerRu from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';
import type { Normalized } from './normalize.js';
import { plainWords } from './normalize.js';
import { STOPWORDS } from './data/stopwords.js';
import { WordMemo } from './memo.js';

const stems = new WordMemo((word) => (/[а-я]/.test(word) ? PorterStemmerRu.stem(word) : word), 200_000);

export function stem(word: string): string {
  return stems.of(word);
}

const STOP = new Set(STOPWORDS);

/**
 * Content stems of a message, in order, stopwords and one-letter words left out, and the
 * words in `skip` (lower case, ё as е) too.
 */
export function contentStems(n: Normalized, skip?: ReadonlySet<string>): string[] {
  return contentStemsBoth(n, skip).kept;
}

/** In one pass, every content stem (`all`) and those of the words not in `skip` (`kept`). */
export function contentStemsBoth(n: Normalized, skip?: ReadonlySet<string>): { readonly all: string[]; readonly kept: string[] } {
  const all: string[] = [];
  const kept: string[] = skip === undefined ? all : [];
  for (const w of plainWords(n)) {
    if (w.length < 2 || STOP.has(w) || /^\d+$/.test(w)) continue;
    const s = stem(w);
    if (skip !== undefined) { all.push(s); if (!skip.has(w)) kept.push(s); } else all.push(s);
  }
  return { all, kept };
}
