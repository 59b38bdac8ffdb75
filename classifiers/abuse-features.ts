/**
 * Hashed features of a message for the learned abuse model (abuse-model.ts), shared by the
 * trainer and the classifier so that both read a text the same way:
 *
 * - character n-grams (2–5) of each word's first reading (normalize.ts has undone
 *   look-alikes, masks, stretched letters and glued punctuation), padded with a space on
 *   each side so that beginnings and endings count: misspelt and new forms of a word share
 *   most of its n-grams;
 * - the word's stem and the pair of stems with the word before it: grammar the n-grams
 *   cannot see («руки оторвать», «тебе не жить»);
 * - links, phones and mentions, which normalization takes out of the text.
 *
 * Words inside quotation marks hash into their own space: a complaint quoting a spammer or
 * an abuser is not the same evidence as the author's own words.
 *
 * Every feature belongs to one word (a stem pair to the later word), so that the words
 * that led to a rejection can be shown as its evidence. Extraction fills a reused buffer:
 * no allocation per n-gram.
 */
import type { Normalized, Token } from './normalize.js';
import { stem } from './stem.js';
import { fnv1aFrom, FNV_PRIME } from './hash.js';

/** Bits of the hashed feature space. */
export const FEATURE_BITS = 18;
export const FEATURE_COUNT = 1 << FEATURE_BITS;
const MASK = FEATURE_COUNT - 1;

const NGRAM_MIN = 2;
const NGRAM_MAX = 5;
/** Token index for features that belong to no word (links, phones). */
export const NO_TOKEN = -1;

const SEED_NGRAM = 0x811c9dc5;
const SEED_NGRAM_QUOTED = 0x2545f491;
const SEED_STEM = 0x9e3779b9;
const SEED_PAIR = 0x7f4a7c15;
const SEED_META = 0x61c88647;


/** Features of one message: `count` pairs of (feature index, token index) in the buffers. */
export class FeatureBuffer {
  features = new Int32Array(512);
  tokens = new Int32Array(512);
  count = 0;

  push(feature: number, token: number): void {
    if (this.count === this.features.length) {
      const grown = new Int32Array(this.count * 2);
      grown.set(this.features);
      this.features = grown;
      const grownTokens = new Int32Array(this.count * 2);
      grownTokens.set(this.tokens);
      this.tokens = grownTokens;
    }
    this.features[this.count] = feature;
    this.tokens[this.count] = token;
    this.count++;
  }
}

const SPACE = 32;

export interface WordFeatures {
  readonly stem: string;
  /** The word's character n-grams and its stem. */
  readonly features: Int32Array;
}

// A word's features depend on its letters alone, and the same words come back in message
// after message: computed once per word (and per quoting), like normalize.ts's readings.
const wordCache = new Map<string, WordFeatures>();
const quotedCache = new Map<string, WordFeatures>();
const WORD_CACHE_LIMIT = 50_000;
const scratch = new FeatureBuffer();

export function wordFeatures(word: string, quoted: boolean): WordFeatures {
  const cache = quoted ? quotedCache : wordCache;
  let found = cache.get(word);
  if (found === undefined) {
    scratch.count = 0;
    const seed = quoted ? SEED_NGRAM_QUOTED : SEED_NGRAM;
    // The padded word « word »: position 0 and the last are spaces.
    const padded = word.length + 2;
    for (let i = 0; i < padded; i++) {
      let h = seed;
      for (let k = 0; k < NGRAM_MAX && i + k < padded; k++) {
        const p = i + k;
        const code = p === 0 || p === padded - 1 ? SPACE : word.charCodeAt(p - 1);
        h = Math.imul(h ^ code, FNV_PRIME);
        if (k + 1 >= NGRAM_MIN) scratch.push((h ^ (h >>> 15)) & MASK, 0);
      }
    }
    const s = /[а-я]/.test(word) ? stem(word) : word;
    scratch.push(hashMix(fnv1aFrom(quoted ? SEED_STEM ^ 1 : SEED_STEM, s)), 0);
    found = { stem: s, features: scratch.features.slice(0, scratch.count) };
    if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
    cache.set(word, found);
  }
  return found;
}

/** Fills `out` with the message's features (clearing it first). */
export function extractFeatures(n: Normalized, out: FeatureBuffer): void {
  out.count = 0;
  let previousStem: string | null = null;
  for (let t = 0; t < n.tokens.length; t++) {
    const token = n.tokens[t]!;
    const word = featureWord(token);
    if (word.length === 0) { previousStem = null; continue; }
    const w = wordFeatures(word, token.quoted);
    for (let k = 0; k < w.features.length; k++) out.push(w.features[k]!, t);
    if (previousStem !== null) out.push(pairFeature(previousStem, w.stem), t);
    previousStem = token.sentenceEnd ? null : w.stem;
  }
  if (n.urls.length > 0) out.push(URL_FEATURE, NO_TOKEN);
  if (n.phones.length > 0) out.push(PHONE_FEATURE, NO_TOKEN);
  if (n.mentions.length > 0) out.push(MENTION_FEATURE, NO_TOKEN);
}

/** The feature of a pair of stems, the later word's. */
export function pairFeature(previousStem: string, stem: string): number {
  return pairFeatureAfter(pairHead(previousStem), stem);
}

/** The part of a pair's hash its first stem makes: kept with a word, it is not hashed again for each pair. */
export function pairHead(previousStem: string): number {
  return fnv1aFrom(SEED_PAIR, previousStem) ^ 0x5bd1e995;
}

/** `pairFeature` of the stem whose `pairHead` is given. */
export function pairFeatureAfter(head: number, stem: string): number {
  return hashMix(fnv1aFrom(head, stem));
}

/** The word a token is read as for the features; '' for none. */
export function featureWord(token: Token): string {
  return token.folded[0] ?? token.plain;
}

function hashMix(h: number): number {
  return (h ^ (h >>> 15)) & MASK;
}

export const URL_FEATURE = hashMix(fnv1aFrom(SEED_META, 'url'));
export const PHONE_FEATURE = hashMix(fnv1aFrom(SEED_META, 'phone'));
export const MENTION_FEATURE = hashMix(fnv1aFrom(SEED_META, 'mention'));
