/**
 * The lexicon grammar (classifiers/lexicon/README.md): the words and phrases the rule sets
 * look for are data, written in a small pattern language and compiled here once, when a
 * rule set loads. A mistake in a lexicon file fails at load with its file and line.
 *
 * A lexicon is a list of sections (`[name]`), each a list of entries, one per line:
 *
 *   pattern  option…
 *
 * A word pattern matches a whole word reading: letters, `[абв]` one of them, `(а|б|)`
 * alternatives, `?` after a letter, class or group, `{SET}` a named set of alternatives
 * (`@set SET = а у ом -`), `.` any one letter and `…` any letters (at the end: any
 * ending). Options:
 * `~` also matches the misspellings that confuse unstressed vowels (о/а, е/и/я/э);
 * `unless=w1,w2` not when one of these word patterns stands in the same message (the
 * subject of a comment decides what a word means: «сука» among «щенки» is a dog); phrase
 * entries take it too («голову оторву» is no threat beside «себе»).
 * In phrase sections an entry is several word patterns separated by spaces (`*` any one
 * word, a group may hold several words, `?` after an item makes it optional); phrases are
 * found in the message's own words joined by single spaces.
 */
import type { Token, WordFacts } from './normalize.js';
import { LastMemo, WordMemo } from './memo.js';

export class LexiconError extends Error {
  constructor(readonly file: string, readonly line: number, readonly problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'LexiconError';
  }
}

/**
 * The letters people confuse in writing, folded to one letter each: unstressed vowels
 * («дибил», «идеот», «дыбил») and paired voiced and voiceless consonants, which sound
 * alike at the end of a word or before another consonant («урот», «дегенерады»).
 */
export function vowelSkeleton(word: string): string {
  return word.replace(CONFUSED, (c) => SKELETON[c]!);
}

const SKELETON: Readonly<Record<string, string>> = {
  о: 'а', а: 'а', е: 'и', и: 'и', э: 'и', я: 'и', ё: 'и', ы: 'и',
  д: 'т', т: 'т', б: 'п', п: 'п', г: 'к', к: 'к', з: 'с', с: 'с', в: 'ф', ф: 'ф', ж: 'ш', ш: 'ш',
};
const CONFUSED = /[оаеиэяёыдбгзвж]/g;

interface RawEntry {
  readonly source: string;
  readonly line: number;
  readonly fuzzy: boolean;
  readonly unless: readonly string[];
  readonly options: Readonly<Record<string, string>>;
}

interface RawSection {
  readonly name: string;
  readonly entries: RawEntry[];
}

/** Compiles one word pattern (without anchors) to a regex source. */
function compileWord(pattern: string, sets: ReadonlyMap<string, string[]>, file: string, line: number, phrase: boolean): string {
  let out = '';
  let depth = 0;
  let i = 0;
  const src = pattern.replace(/ё/g, 'е');
  while (i < src.length) {
    const ch = src[i]!;
    if (/[а-яa-z-]/.test(ch)) { out += ch === '-' ? '\\-' : ch; i++; continue; }
    switch (ch) {
      case '[': {
        const end = src.indexOf(']', i);
        const body = end < 0 ? '' : src.slice(i + 1, end);
        if (end < 0 || !/^[а-яa-z]+$/.test(body)) throw new LexiconError(file, line, `«${pattern}»: a class holds letters only, closed by ]`);
        out += `[${body}]`;
        i = end + 1;
        break;
      }
      case '(': out += '(?:'; depth++; i++; break;
      case ')':
        if (depth === 0) throw new LexiconError(file, line, `«${pattern}»: ) without (`);
        out += ')'; depth--; i++; break;
      case '|': out += '|'; i++; break;
      case '?': out += '?'; i++; break;
      case '…': out += phrase ? '[^ ]*' : '.*'; i++; break;
      case '.': out += phrase ? '[^ ]' : '.'; i++; break;
      case ' ':
        if (!phrase || depth === 0) throw new LexiconError(file, line, `«${pattern}»: a space inside a word`);
        out += ' '; i++; break;
      case '{': {
        const end = src.indexOf('}', i);
        const name = end < 0 ? '' : src.slice(i + 1, end);
        const set = sets.get(name);
        if (set === undefined) throw new LexiconError(file, line, `«${pattern}»: unknown set {${name}}`);
        out += `(?:${set.join('|')})`;
        i = end + 1;
        break;
      }
      default:
        throw new LexiconError(file, line, `«${pattern}»: «${ch}» is not part of the grammar`);
    }
  }
  if (depth !== 0) throw new LexiconError(file, line, `«${pattern}»: ( without )`);
  return out;
}

/**
 * A word pattern as a regex that matches the whole word. A leading or trailing «…» (any
 * letters) drops its anchor instead of scanning with «.*»: the same words, found without
 * backtracking through every alternative of a combined list.
 */
function wholeWord(body: string): string {
  let depth = 0;
  for (const ch of body) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return `^(?:${body})$`;
  }
  const head = body.startsWith('.*');
  const tail = body.endsWith('.*') && !body.endsWith('\\.*');
  const inner = body.slice(head ? 2 : 0, tail ? body.length - 2 : body.length);
  if (inner === '') return '^';
  return `${head ? '' : '^'}(?:${inner})${tail ? '' : '$'}`;
}

/** Splits a phrase into its items at spaces outside parentheses. */
function phraseItems(phrase: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of phrase) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ' ' && depth === 0) { if (cur !== '') items.push(cur); cur = ''; } else cur += ch;
  }
  if (cur !== '') items.push(cur);
  return items;
}

/**
 * The patterns of the first word of an item (a word pattern, or a group whose alternatives
 * may hold several words: «(в расход|под нож)» begins with «в» or «под»); null when a
 * single word cannot tell (`*`, a group nested in a first word that holds a space).
 */
function firstWords(body: string): string[] | null {
  if (body === '*') return null;
  if (!body.includes(' ')) return [body];
  if (!body.startsWith('(') || closingParen(body, 0) !== body.length - 1) return null;
  const firsts: string[] = [];
  for (const alternative of splitTop(body.slice(1, -1), '|')) {
    const first = splitTop(alternative, ' ')[0]!;
    if (first === '' || first.includes(' ')) return null;
    firsts.push(first);
  }
  return firsts;
}

/** The index of the parenthesis that closes the one at `open`. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits at a sign outside parentheses. */
function splitTop(s: string, sign: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === sign && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/**
 * A compiled phrase, and the patterns of the words it can begin with (of the first item,
 * and of the next while the ones before are optional); null when it can begin with any
 * word.
 */
function compilePhrase(phrase: string, sets: ReadonlyMap<string, string[]>, file: string, line: number): { source: string; starters: string[] | null } {
  let out = ' ';
  let starters: string[] | null = [];
  let opening = true;
  for (const item of phraseItems(phrase)) {
    const optional = item.endsWith('?') && item.length > 1 && (item.endsWith(')?') || !item.slice(0, -1).includes('('));
    const body = optional ? item.slice(0, -1) : item;
    const re = body === '*' ? '[^ ]+' : compileWord(body, sets, file, line, true);
    out += optional ? `(?:${re} )?` : `${re} `;
    if (opening) {
      const firsts = firstWords(body);
      if (firsts === null) starters = null;
      else starters?.push(...firsts.map((w) => compileWord(w, sets, file, line, true)));
      opening = optional && starters !== null;
    }
  }
  // Every item optional: the phrase may begin anywhere.
  return { source: out, starters: opening ? null : starters };
}

function parseSections(text: string, file: string): { sections: RawSection[]; sets: Map<string, string[]> } {
  const sections: RawSection[] = [];
  const sets = new Map<string, string[]>();
  let current: RawSection | null = null;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/(?:^|\s)#.*$/, '').trim();
    if (content === '') return;
    const set = /^@set\s+([A-Za-zА-Яа-я0-9_]+)\s*=\s*(.+)$/.exec(content);
    if (set) {
      const alternatives = set[2]!.trim().split(/\s+/).map((a) => (a === '-' ? '' : a.replace(/ё/g, 'е')));
      const bad = alternatives.find((a) => !/^(?:[а-яa-z]|\[[а-яa-z]+\])*$/.test(a));
      if (bad !== undefined) throw new LexiconError(file, line, `@set ${set[1]}: «${bad}» must be letters and [classes]`);
      sets.set(set[1]!.toLowerCase(), alternatives);
      return;
    }
    const header = /^\[([a-z0-9-]+)\]$/.exec(content);
    if (header) {
      current = { name: header[1]!, entries: [] };
      sections.push(current);
      return;
    }
    if (current === null) throw new LexiconError(file, line, 'an entry before the first [section]');
    // Options follow the pattern after two or more spaces (a phrase has single spaces inside).
    const [pattern, ...opts] = content.split(/\s{2,}/);
    let fuzzy = false;
    let unless: string[] = [];
    const options: Record<string, string> = {};
    for (const o of opts.flatMap((x) => x.split(/\s+/))) {
      if (o === '~') fuzzy = true;
      else if (o.startsWith('unless=')) unless = o.slice('unless='.length).split(',').filter((w) => w !== '');
      else if (/^[a-z]+=\S+$/.test(o)) { const [k, v] = o.split('=') as [string, string]; options[k] = v; }
      else throw new LexiconError(file, line, `unknown option «${o}»`);
    }
    (current as RawSection).entries.push({ source: pattern!.toLowerCase(), line, fuzzy, unless, options });
  });
  return { sections, sets };
}

/** One word entry, compiled. */
export interface WordEntry {
  readonly source: string;
  readonly line: number;
  readonly re: RegExp;
  readonly fuzzy: RegExp | null;
  readonly unless: RegExp | null;
  readonly options: Readonly<Record<string, string>>;
}

/**
 * A section of word patterns. `test` answers for one word reading with a single regex run
 * over all plain entries; entries with `unless` or `~` are checked one by one after it.
 */
export class WordList {
  private readonly plain: RegExp;
  /** Entries with `unless`, matched as written. */
  private readonly conditional: readonly WordEntry[];
  private readonly conditionalAny: RegExp | null;
  /** All the `~` entries, matched against the word's vowel skeleton in one run. */
  private readonly fuzzyAny: RegExp | null;
  private readonly fuzzy: readonly WordEntry[];

  constructor(readonly name: string, readonly entries: readonly WordEntry[]) {
    if (indexed.length < MAX_INDEXED) {
      this.bit = 1 << indexed.length;
      indexed.push(this);
      readingMasks.clear();
    }
    const plain = entries.filter((e) => e.unless === null);
    this.plain = plain.length > 0 ? new RegExp(plain.map((e) => e.re.source).join('|')) : /(?!)/;
    this.conditional = entries.filter((e) => e.unless !== null);
    this.conditionalAny = this.conditional.length > 0 ? new RegExp(this.conditional.map((e) => e.re.source).join('|')) : null;
    this.fuzzy = entries.filter((e) => e.fuzzy !== null);
    this.fuzzyAny = this.fuzzy.length > 0 ? new RegExp(this.fuzzy.map((e) => e.fuzzy!.source).join('|')) : null;
  }

  /**
   * Each reading's entry, remembered: a list is asked about the same few thousand words of
   * municipal messages again and again, and each answer costs up to three regex runs over
   * every alternative of the list (and a skeleton of the word).
   */
  private readonly seen = new WordMemo((word) => this.lookUp(word));

  /** The entry a word reading matches, ignoring `unless` (the caller knows the context). */
  entryFor(word: string): WordEntry | null {
    return this.seen.of(word);
  }

  private lookUp(word: string): WordEntry | null {
    if (this.plain.test(word)) return this.entries.find((e) => e.unless === null && e.re.test(word)) ?? null;
    if (this.conditionalAny !== null && this.conditionalAny.test(word)) return this.conditional.find((e) => e.re.test(word)) ?? null;
    if (this.fuzzyAny !== null && word.length >= 4) {
      const skeleton = vowelSkeleton(word);
      if (this.fuzzyAny.test(skeleton)) return this.fuzzy.find((e) => e.fuzzy!.test(skeleton)) ?? null;
    }
    return null;
  }

  /** Whether a word reading matches any entry, `unless` aside. */
  test(word: string): boolean {
    return this.bit !== 0 ? (readingMask(word) & this.bit) !== 0 : this.entryFor(word) !== null;
  }

  /**
   * Whether a reading of token `i` matches, `unless` aside (`test` of each reading): read
   * from the message's reading masks, computed once for all the lists.
   */
  testAt(tokens: readonly Token[], i: number): boolean {
    if (this.bit !== 0) return (masksOf(tokens)[i]! & this.bit) !== 0;
    for (const w of tokens[i]!.folded) if (this.entryFor(w) !== null) return true;
    return false;
  }

  /**
   * Indexes of the tokens one of whose readings matches, honouring `unless`: a word that is
   * innocent in the company of certain others («привезли чурки для печки») does not count there.
   */
  find(tokens: readonly Token[]): readonly number[] {
    // Several rules ask the same list about the same message (the target of violence is
    // asked for by the threat, harm-intent and call rules): it is read once.
    let out = this.found.get(tokens);
    if (out === undefined) {
      const indexes: number[] = [];
      if (this.bit !== 0) {
        // Only tokens with a reading in this list can match; one look-up per token tells every list.
        const masks = masksOf(tokens);
        for (let i = 0; i < tokens.length; i++) if ((masks[i]! & this.bit) !== 0 && this.matchesToken(tokens, i)) indexes.push(i);
      } else {
        for (let i = 0; i < tokens.length; i++) if (this.matchesToken(tokens, i)) indexes.push(i);
      }
      out = indexes;
      this.found.set(tokens, out);
    }
    return out;
  }

  private readonly found = new LastMemo<readonly Token[], readonly number[]>();
  /** This list's bit in the reading masks; 0 when there were too many lists for one. */
  private readonly bit: number = 0;

  /** Whether a token's readings match (honouring `unless` within the given tokens). */
  matchesToken(tokens: readonly Token[], i: number): boolean {
    for (const w of tokens[i]!.folded) {
      if (this.bit !== 0 && (readingMask(w) & this.bit) === 0) continue;
      const entry = this.entryFor(w);
      if (entry !== null && (entry.unless === null || !nearby(tokens, i, entry.unless))) return true;
    }
    return false;
  }
}

/**
 * For each word reading, the lists it has an entry in (`unless` aside), one bit per list
 * (the first 31 lists made): a message's words are looked up once in one table for all
 * the lists that read them, instead of once in each list's.
 */
const MAX_INDEXED = 31;
const indexed: WordList[] = [];
const readingMasks = new WordMemo(maskOfReading);
const tokenMasks = new LastMemo<readonly Token[], { readonly lists: number; readonly masks: Int32Array }>();

function maskOfReading(word: string): number {
  let mask = 0;
  for (let k = 0; k < indexed.length; k++) if (indexed[k]!.entryFor(word) !== null) mask |= 1 << k;
  return mask;
}

function readingMask(word: string): number {
  return readingMasks.of(word);
}

/** Per token of a message, the lists one of its readings is in (again when a list was made since). */
function masksOf(tokens: readonly Token[]): Int32Array {
  const known = tokenMasks.get(tokens);
  if (known !== undefined && known.lists === indexed.length) return known.masks;
  const masks = new Int32Array(tokens.length);
  const lists = indexed.length;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // A plain word's mask is kept with its facts: the word is looked up in no table at all.
    const facts = token.facts;
    if (facts !== undefined && facts.readingLists === lists) { masks[i] = facts.readingMask; continue; }
    let m = 0;
    const folded = token.folded;
    for (let r = 0; r < folded.length; r++) m |= readingMask(folded[r]!);
    masks[i] = m;
    if (facts !== undefined) { facts.readingMask = m; facts.readingLists = lists; }
  }
  tokenMasks.set(tokens, { lists: indexed.length, masks });
  return masks;
}

/** Whether another word of the message matches: a comment is short, its subject is one. */
function nearby(tokens: readonly Token[], i: number, re: RegExp): boolean {
  for (let j = 0; j < tokens.length; j++) {
    if (j !== i && tokens[j]!.folded.some((w) => re.test(w))) return true;
  }
  return false;
}

/** A section of phrases, found in the message's own words joined by single spaces. */
export class PhraseList {
  private readonly all: RegExp;
  private readonly entries: readonly { readonly re: RegExp; readonly needsTarget: boolean; readonly unless: RegExp | null }[];
  /**
   * Which entries can stand in a sentence, told by its words: `bit` in the starter masks of
   * the words a phrase of this list can begin with, `starts` per entry the patterns of
   * those words, `anyStart` the entries that can begin with any word (`*`, every item
   * optional), looked for in the whole sentence. null when a phrase does not begin at a
   * word: then `all` is tried first and every entry looked for.
   */
  private readonly gate: {
    readonly bit: number;
    /** The bit's place: where a word's facts keep the entries of this list it can begin. */
    readonly place: number;
    readonly starts: readonly (RegExp | null)[];
    readonly anyStart: readonly number[];
    /** Per entry, its regex to try at one place. */
    readonly sticky: readonly RegExp[];
    /** Per word, the entries that can begin with it. */
    readonly byWord: WordMemo<readonly number[]>;
  } | null = null;

  /**
   * @param entries compiled phrases; `unless` (a regex source over the sentence) keeps an
   *   entry silent when one of its words stands anywhere in the message; `starters` the
   *   patterns of the words the phrase can begin with, null or absent when any word can
   */
  constructor(readonly name: string, entries: readonly { readonly source: string; readonly options: Readonly<Record<string, string>>; readonly unless?: string; readonly starters?: readonly string[] | null }[]) {
    this.entries = entries.map((e) => ({ re: new RegExp(e.source), needsTarget: e.options['needs'] === 'target', unless: e.unless === undefined ? null : new RegExp(e.unless) }));
    // Every phrase starts with the space before its first word: said once in front of the
    // alternatives, the regex tries them only where a word begins.
    const atWords = entries.every((e) => e.source.startsWith(' '));
    this.all = entries.length === 0 ? /(?!)/
      : atWords ? new RegExp(` (?:${entries.map((e) => `(?:${e.source.slice(1)})`).join('|')})`)
      : new RegExp(entries.map((e) => `(?:${e.source})`).join('|'));
    // Even so, a list of a hundred phrases tried at every word of a long comment costs more
    // than most rules, and most words begin none of them: which lists a word can begin a
    // phrase of is asked once per word for all lists (`starterMask`), which phrases of
    // this list once per word here, and only those phrases are looked for.
    if (atWords && entries.length > 0 && starterLists.length < MAX_INDEXED) {
      const starters = entries.flatMap((e) => e.starters ?? []);
      this.gate = {
        bit: 1 << starterLists.length,
        place: starterLists.length,
        starts: entries.map((e) => (e.starters == null ? null : new RegExp(`^(?:${e.starters.join('|')})$`))),
        anyStart: entries.flatMap((e, i) => (e.starters == null ? [i] : [])),
        sticky: entries.map((e) => new RegExp(e.source, 'y')),
        byWord: new WordMemo((word) => this.gate!.starts.flatMap((re, e) => (re !== null && re.test(word) ? [e] : []))),
      };
      starterLists.push(starters.length > 0 ? new RegExp(`^(?:${starters.join('|')})$`) : /(?!)/);
      starterMasks.clear();
    }
  }

  /** The entries that begin with the word. */
  private startingWith(word: string): readonly number[] {
    return this.gate!.byWord.of(word);
  }

  /**
   * The phrases found, as the words that make them up. Entries marked `needs=target` count
   * only when the caller has found a person or an office named in the message.
   */
  find(sentence: string, hasTarget = false): string[] {
    const out: string[] = [];
    const gate = this.gate;
    const words = gate === null ? null : sentenceWords(sentence);
    if (gate === null || words === null || words.masks.length >= PAIRED) {
      if (this.all.test(sentence)) for (let i = 0; i < this.entries.length; i++) this.search(i, sentence, hasTarget, out);
      return out;
    }
    // Where each entry can begin: (entry, word) pairs, sorted by entry and then by word.
    const at: number[] = [];
    for (let k = 0; k < words.masks.length; k++) {
      if ((words.masks[k]! & gate.bit) === 0) continue;
      const facts = words.facts[k];
      let starts: readonly number[] | undefined;
      if (facts === undefined) starts = this.startingWith(words.words[k]!);
      else {
        const kept = facts.phraseStarts ??= [];
        starts = kept[gate.place];
        if (starts === undefined) { starts = this.startingWith(words.words[k]!); kept[gate.place] = starts; }
      }
      for (let s = 0; s < starts.length; s++) at.push(starts[s]! * PAIRED + k);
    }
    if (at.length > 1) at.sort(ascending);
    // The entries in their order: those that can begin at a word of the sentence, and
    // those that can begin with any.
    let p = 0;
    let a = 0;
    while (p < at.length || a < gate.anyStart.length) {
      const atWord = p < at.length ? Math.floor(at[p]! / PAIRED) : Infinity;
      const anywhere = a < gate.anyStart.length ? gate.anyStart[a]! : Infinity;
      if (anywhere <= atWord) {
        this.search(anywhere, sentence, hasTarget, out);
        a++;
        continue;
      }
      let end = p;
      while (end < at.length && Math.floor(at[end]! / PAIRED) === atWord) end++;
      if (this.allowed(atWord, sentence, hasTarget)) {
        // Tried at each word it can begin with, the leftmost first: where a search of the
        // whole sentence would find it, since it begins at a word.
        const re = gate.sticky[atWord]!;
        for (let q = p; q < end; q++) {
          re.lastIndex = words.spaces[at[q]! % PAIRED]!;
          const m = re.exec(sentence);
          if (m) { out.push(m[0].trim()); break; }
        }
      }
      p = end;
    }
    return out;
  }

  private allowed(i: number, sentence: string, hasTarget: boolean): boolean {
    const e = this.entries[i]!;
    return !(e.needsTarget && !hasTarget) && !(e.unless !== null && e.unless.test(sentence));
  }

  /** Entry `i` searched in the whole sentence. */
  private search(i: number, sentence: string, hasTarget: boolean, out: string[]): void {
    if (!this.allowed(i, sentence, hasTarget)) return;
    const m = this.entries[i]!.re.exec(sentence);
    if (m) out.push(m[0].trim());
  }
}

const ascending = (x: number, y: number): number => x - y;

/** The factor that packs an (entry, word) pair in one number; a longer sentence is searched whole. */
const PAIRED = 1 << 20;

/** Per phrase list with a gate, the patterns of the words its phrases can begin with (its bit's place). */
const starterLists: RegExp[] = [];
/** For a word, the phrase lists one of whose phrases can begin with it, one bit per list. */
const starterMasks = new WordMemo((word) => {
  let mask = 0;
  for (let k = 0; k < starterLists.length; k++) if (starterLists[k]!.test(word)) mask |= 1 << k;
  return mask;
});

function starterMask(word: string): number {
  return starterMasks.of(word);
}

interface SentenceWords {
  readonly sentence: string;
  /** How many lists had a gate when it was read. */
  readonly lists: number;
  /** The words that can begin a phrase of some list, the space before each, and the lists' bits. */
  readonly words: readonly string[];
  readonly spaces: readonly number[];
  readonly masks: readonly number[];
  /** The facts of each such word, where its token has them (not for a blanked or signed token). */
  readonly facts: readonly (WordFacts | undefined)[];
}
let lastSentence: SentenceWords | null = null;
/** The one read before: a message's own words and all its words are two sentences when it reports speech. */
let previousSentence: SentenceWords | null = null;

function remember(read: SentenceWords): void {
  previousSentence = lastSentence;
  lastSentence = read;
}

/**
 * The message's first readings joined by single spaces and padded with spaces, the tokens in
 * `blanked` written as «_»: the sentence the phrase lists read (words.ts `ownSentence`).
 * Its words' starter masks are read as it is built, from the words' facts where a token
 * has them, so that the lists that look at it find it read.
 */
export function phraseSentence(tokens: readonly Token[], blanked: ReadonlySet<number>): string {
  const lists = starterLists.length;
  const words: string[] = [];
  const spaces: number[] = [];
  const masks: number[] = [];
  const factsOf: (WordFacts | undefined)[] = [];
  const parts: string[] = new Array<string>(tokens.length);
  const anyBlanked = blanked.size > 0;
  // The space before the word at hand.
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    let word: string;
    let mask: number;
    let facts: WordFacts | undefined;
    if (anyBlanked && blanked.has(i)) {
      word = '_';
      mask = starterMask(word);
    } else {
      facts = token.facts;
      if (facts !== undefined) {
        word = facts.folded[0] ?? '_';
        if (facts.starterLists === lists) mask = facts.starterMask;
        else { mask = starterMask(word); facts.starterMask = mask; facts.starterLists = lists; }
      } else {
        word = token.folded[0] ?? '_';
        mask = starterMask(word);
      }
    }
    parts[i] = word;
    if (mask !== 0) { words.push(word); spaces.push(at); masks.push(mask); factsOf.push(facts); }
    at += word.length + 1;
  }
  const sentence = ' ' + parts.join(' ') + ' ';
  // The split of the padded sentence ends with an empty word after its last space («  »
  // without tokens: two, at 0 and at 1).
  const last = starterMask('');
  if (last !== 0) {
    if (tokens.length === 0) { words.push(''); spaces.push(0); masks.push(last); factsOf.push(undefined); }
    words.push(''); spaces.push(sentence.length - 1); masks.push(last); factsOf.push(undefined);
  }
  remember({ sentence, lists, words, spaces, masks, facts: factsOf });
  return sentence;
}

/**
 * The sentence's words that can begin a phrase, with their starter masks: the sentence is
 * read once for all the phrase lists that look at it.
 */
function sentenceWords(sentence: string): SentenceWords {
  const known = lastSentence;
  if (known !== null && known.sentence === sentence && known.lists === starterLists.length) return known;
  const before = previousSentence;
  if (before !== null && before.sentence === sentence && before.lists === starterLists.length) return before;
  const words: string[] = [];
  const spaces: number[] = [];
  const masks: number[] = [];
  for (let at = sentence.indexOf(' '); at >= 0;) {
    const next = sentence.indexOf(' ', at + 1);
    const word = sentence.slice(at + 1, next < 0 ? sentence.length : next);
    const mask = starterMask(word);
    if (mask !== 0) { words.push(word); spaces.push(at); masks.push(mask); }
    at = next;
  }
  const read = { sentence, lists: starterLists.length, words, spaces, masks, facts: words.map(() => undefined) };
  remember(read);
  return read;
}

/** A parsed lexicon file: its word sections and phrase sections by name. */
export class Lexicon {
  private readonly words = new Map<string, WordList>();
  private readonly phrases = new Map<string, PhraseList>();

  /**
   * @param phraseSections names of the sections whose entries are phrases
   */
  constructor(readonly file: string, text: string, phraseSections: readonly string[] = []) {
    const { sections, sets } = parseSections(text, file);
    for (const s of sections) {
      if (phraseSections.includes(s.name)) {
        this.phrases.set(s.name, new PhraseList(s.name, s.entries.map((e) => ({
          ...compilePhrase(e.source, sets, file, e.line),
          options: e.options,
          ...(e.unless.length > 0 ? { unless: ` (?:${e.unless.map((u) => compileWord(u, sets, file, e.line, true)).join('|')}) ` } : {}),
        }))));
        continue;
      }
      const entries = s.entries.map((e): WordEntry => {
        const body = compileWord(e.source, sets, file, e.line, false);
        return {
          source: e.source,
          line: e.line,
          re: new RegExp(wholeWord(body)),
          fuzzy: e.fuzzy ? new RegExp(wholeWord(vowelSkeleton(body))) : null,
          unless: e.unless.length > 0 ? new RegExp(`^(?:${e.unless.map((u) => compileWord(u, sets, file, e.line, false)).join('|')})$`) : null,
          options: e.options,
        };
      });
      this.words.set(s.name, new WordList(s.name, entries));
    }
  }

  wordList(name: string): WordList {
    const list = this.words.get(name);
    if (list === undefined) throw new LexiconError(this.file, 0, `no word section [${name}]`);
    return list;
  }

  phraseList(name: string): PhraseList {
    const list = this.phrases.get(name);
    if (list === undefined) throw new LexiconError(this.file, 0, `no phrase section [${name}]`);
    return list;
  }

  /** The plain words of a section whose entries are whole words (no pattern signs). */
  plainWords(name: string): string[] {
    return this.wordList(name).entries.map((e) => e.source);
  }
}
