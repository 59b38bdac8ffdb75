/**
 * Russian stems for the statistical classifiers and the gazetteer, with natural's
 * Porter stemmer (imported by path so that only the stemmer loads). Stems are cached:
 * the vocabulary of municipal messages is small and stemming dominates the time spent
 * on a message otherwise.
 */
import PorterStemmerRu from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';
import type { Normalized } from './normalize.js';
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
  // The words of plainWords, in its order: a token's plain word, or the parts of a hyphenated one.
  for (const t of n.tokens) {
    const facts = t.facts;
    if (facts !== undefined) {
      // A plain token's word is its `plain`, with no hyphen: its stem is asked once per word.
      let s = facts.contentStem;
      if (s === undefined) { s = contentStemOf(t.plain); facts.contentStem = s; }
      if (s !== null) { if (skip !== undefined) { all.push(s); if (!skip.has(t.plain)) kept.push(s); } else all.push(s); }
      continue;
    }
    if (!t.plain.includes('-')) { if (t.plain.length > 0) keep(t.plain, all, kept, skip); continue; }
    for (const w of t.plain.split('-')) if (w.length > 0) keep(w, all, kept, skip);
  }
  return { all, kept };
}

function contentStemOf(w: string): string | null {
  return w.length < 2 || STOP.has(w) || /^\d+$/.test(w) ? null : stem(w);
}

function keep(w: string, all: string[], kept: string[], skip: ReadonlySet<string> | undefined): void {
  const s = contentStemOf(w);
  if (s === null) return;
  if (skip !== undefined) { all.push(s); if (!skip.has(w)) kept.push(s); } else all.push(s);
}
