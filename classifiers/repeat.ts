/**
 * Repeat detection (001 [19], 002 [10], 003 [11]): a repeat is the same problem as an
 * earlier incident of the tenant — a similar text, or the same place and topic — within a
 * time window (180 days by default). The same author makes it likelier but alone is not
 * enough: a resident's message on a new problem is not a repeat of their last one.
 *
 * Everything here is pure and serialisable, in the shape the store needs:
 *
 * - `repeatProbe` computes a message's features once: a bottom-k sketch of its shingles
 *   (content stems and pairs of neighbouring stems), and its *repeat keys* — LSH band keys
 *   of a MinHash signature and a place-and-topic key, short strings.
 * - The store keeps, for each key, the newest entries filed under it (`repeatEntry`:
 *   id, time, sketch, author, place, topic — compact JSON). Candidates for a message are
 *   the entries under its keys, for a whole batch in one query.
 * - `decideRepeat` picks the repeat among the candidates; `countNearCopies` counts the
 *   same text posted again and again (spam).
 * - `RepeatIndex` is the same design in memory, for the CLI, the benchmarks and tests.
 *
 * Unlinking a wrong repeat teaches (`RepeatUnlink`): the unlinked pair, and near copies
 * of either side, are not linked again.
 */
import { normalize } from './normalize.js';
import { contentStems } from './stem.js';
import { fnv1a, fnv1aFrom, FNV_OFFSET, FNV_PRIME } from './hash.js';
import { LastMemo } from './memo.js';

export interface RepeatMatch {
  readonly incidentId: string;
  /** Estimated Jaccard similarity of the two texts' shingle sets, 0..1. */
  readonly similarity: number;
  /** Similar text, or the same place and topic with some of the same words. */
  readonly by: 'text' | 'place';
}

/** What is filed under each repeat key: compact and JSON-serialisable (stored in MongoDB). */
export interface RepeatEntry {
  readonly id: string;
  /** Detection time, ms since the epoch. */
  readonly at: number;
  /** The smallest shingle hashes of the text, sorted ascending (a bottom-k sketch). */
  readonly sh: readonly number[];
  readonly author?: string;
  /** The place at street level, lower case («улица ленина»). */
  readonly location?: string;
  readonly house?: string;
  readonly topic?: string;
  /** A rejected message: counted as a copy for spam, never the incident a repeat points to. */
  readonly rejected?: true;
}

/** A message's repeat features: computed once, used for the look-up, the decision and the filing. */
export interface RepeatProbe {
  /** The keys to look candidates up under and to file the entry under. */
  readonly keys: readonly string[];
  readonly at: number;
  readonly sh: readonly number[];
  readonly author?: string;
  readonly location?: string;
  readonly house?: string;
  readonly topic?: string;
}

export interface RepeatProbeInput {
  readonly text: string;
  readonly author?: string;
  /** The place's value (gazetteer name or «улица Ленина»); a settlement alone is no place here. */
  readonly location?: string | null;
  readonly house?: string | null;
  readonly topic?: string | null;
  /** Detection time, ms since the epoch. */
  readonly at: number;
  /** The text's content stems, when the caller has them already (stem.ts `contentStems`). */
  readonly stems?: readonly string[];
}

/** A wrong repeat the curator unlinked: this text is not a repeat of that incident. */
export interface RepeatUnlink {
  /** Sketch of the message that was wrongly linked. */
  readonly sh: readonly number[];
  /** The incident it was linked to. */
  readonly incidentId: string;
  /** Sketch of that incident's text, when known: near copies of it are not linked either. */
  readonly otherSh?: readonly number[];
}

export interface RepeatDecisionOptions {
  /** How far back a repeat is looked for; 180 days by default. */
  readonly windowMs?: number;
  readonly unlinks?: readonly RepeatUnlink[];
}

export const DEFAULT_REPEAT_WINDOW_MS = 180 * 24 * 3600 * 1000;
/** How many entries the store keeps under one key: the newest. */
export const REPEAT_BUCKET_CAP = 40;
/** Size of the sketch: texts of up to this many shingles are compared exactly. */
export const SKETCH_SIZE = 48;
const HASHES = 24;
const ROWS = 2;
const BANDS = HASHES / ROWS;

/**
 * When two messages are the same problem. Never when both name places and the places
 * differ. Otherwise: texts this similar (Jaccard of their shingles). At the same place (street level) and topic: enough of the shorter text's
 * words in the longer one — a rephrased «яму у Ленина 14 так и не заделали» shares few
 * words with «огромная яма на дороге у дома 14 по улице Ленина», but they are its words;
 * a new problem at the same address shares only the address. The same author lowers each
 * bar a little; alone it is nothing.
 */
const TEXT_THRESHOLD = 0.5;
const SAME_HOUSE_CONTAINMENT = 0.2;
const SAME_STREET_CONTAINMENT = 0.3;
const SAME_STREET_SIMILARITY = 0.25;
const AUTHOR_EASING = 0.1;
const AUTHOR_EASING_PLACE = 0.05;
const NEAR_COPY = 0.9;
const UNLINK_COPY = 0.7;


/** The hash of «a b», without building the string. */
function fnv1aPair(a: string, b: string): number {
  const h = Math.imul(fnv1aFrom(FNV_OFFSET, a) ^ 0x20, FNV_PRIME);
  return fnv1aFrom(h, b) >>> 0;
}

// Fixed coefficients so that signatures and keys are the same in every process.
const COEF_A = new Uint32Array(HASHES);
const COEF_B = new Uint32Array(HASHES);
{
  let seed = 0x9e3779b9;
  const next = (): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
  for (let i = 0; i < HASHES; i++) { COEF_A[i] = next() | 1; COEF_B[i] = next(); }
}

/** The text's shingles: content stems and pairs of neighbouring stems, hashed and sorted. */
export function shingles(text: string): Uint32Array {
  return shinglesOfStems(contentStems(normalize(text)));
}

export function shinglesOfStems(stems: readonly string[]): Uint32Array {
  // Single stems make the score tolerant to word order («светофор на Ленина не работает»
  // / «на Ленина не работает светофор»); pairs make it reward the same phrasing.
  const n = stems.length;
  const all = new Uint32Array(n === 0 ? 0 : 2 * n - 1);
  for (let i = 0; i < n; i++) all[i] = fnv1a(stems[i]!);
  for (let i = 0; i + 1 < n; i++) all[n + i] = fnv1aPair(stems[i]!, stems[i + 1]!);
  // Sorted, each hash once: a set's values without a Set.
  all.sort();
  let kept = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[kept - 1]) all[kept++] = all[i]!;
  return all.slice(0, kept);
}

/** Exact Jaccard similarity of two sorted hash sets. */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0; let j = 0; let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) { both++; i++; j++; } else if (a[i]! < b[j]!) i++; else j++;
  }
  return both / (a.length + b.length - both);
}

/**
 * Jaccard similarity estimated from two bottom-k sketches: among the k smallest hashes of
 * the union, the share found in both. Exact when both texts have at most k shingles.
 */
export function sketchSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0; let j = 0; let seen = 0; let both = 0;
  while (seen < SKETCH_SIZE && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) { both++; i++; j++; } else if (x < y) i++; else j++;
    seen++;
  }
  // A sketch that ran out before the other one is exact only up to its own end.
  return both / seen;
}

function signature(sh: Uint32Array): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (const x of sh) {
    for (let i = 0; i < HASHES; i++) {
      const h = (Math.imul(COEF_A[i]!, x) + COEF_B[i]!) >>> 0;
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

function placeOf(location: string | null | undefined): string | undefined {
  const l = location?.trim().toLowerCase().replace(/ё/g, 'е');
  return l === undefined || l === '' ? undefined : l;
}

const DIGITS36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/** Every number below 36² in base 36, two digits each («00» … «zz»). */
const PAIRS36: readonly string[] = Array.from({ length: 36 * 36 }, (_, i) => DIGITS36[Math.floor(i / 36)]! + DIGITS36[i % 36]!);
const BAND_PREFIX: readonly string[] = Array.from({ length: BANDS }, (_, b) => `b${b}:`);

/** A number below 36² in base 36 without leading zeros. */
function leading36(x: number): string {
  return x < 36 ? DIGITS36[x]! : PAIRS36[x]!;
}

/**
 * The band key `b<band>:<h in base 36>` (`h.toString(36)` without the engine's general radix
 * conversion) for an unsigned 32-bit `h`, two digits at a time: a key built digit by digit
 * was a chain of eight joined strings that the look-up in the index then had to copy into one.
 */
function bandKey(band: number, h: number): string {
  const d0 = h % 1296; h = Math.floor(h / 1296);
  if (h === 0) return BAND_PREFIX[band]! + leading36(d0);
  const d1 = h % 1296; h = Math.floor(h / 1296);
  if (h === 0) return BAND_PREFIX[band]! + leading36(d1) + PAIRS36[d0]!;
  const d2 = h % 1296; h = Math.floor(h / 1296);
  if (h === 0) return BAND_PREFIX[band]! + leading36(d2) + PAIRS36[d1]! + PAIRS36[d0]!;
  // 36⁸ > 2³²: at most two digits are left.
  return BAND_PREFIX[band]! + leading36(h) + PAIRS36[d2]! + PAIRS36[d1]! + PAIRS36[d0]!;
}

/** The keys a text and place are looked up and filed under. */
function keysOf(sh: Uint32Array, location: string | undefined, topic: string | undefined): string[] {
  const keys: string[] = [];
  if (sh.length > 0) {
    const sig = signature(sh);
    for (let b = 0; b < BANDS; b++) {
      let h = b + 1;
      for (let r = 0; r < ROWS; r++) h = Math.imul(h ^ sig[b * ROWS + r]!, 0x01000193);
      keys.push(bandKey(b, h >>> 0));
    }
  }
  if (location !== undefined && topic !== undefined) keys.push(`p:${fnv1a(`${location}\u0000${topic}`).toString(36)}`);
  return keys;
}

/** The first SKETCH_SIZE shingles as a plain array (Array.from over a typed array walks an iterator). */
function sketch(sh: Uint32Array): number[] {
  const n = Math.min(sh.length, SKETCH_SIZE);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = sh[i]!;
  return out;
}

export function repeatProbe(input: RepeatProbeInput): RepeatProbe {
  const sh = input.stems !== undefined ? shinglesOfStems(input.stems) : shingles(input.text);
  const location = placeOf(input.location);
  const topic = input.topic ?? undefined;
  return {
    keys: keysOf(sh, location, topic),
    at: input.at,
    sh: sketch(sh),
    ...(input.author ? { author: input.author } : {}),
    ...(location !== undefined ? { location } : {}),
    ...(input.house ? { house: input.house.toLowerCase() } : {}),
    ...(topic !== undefined ? { topic } : {}),
  };
}

/** What to file under the probe's keys for the incident (or rejected message) `id`. */
export function repeatEntry(probe: RepeatProbe, id: string, options: { rejected?: boolean } = {}): RepeatEntry {
  return {
    id,
    at: probe.at,
    sh: probe.sh,
    ...(probe.author !== undefined ? { author: probe.author } : {}),
    ...(probe.location !== undefined ? { location: probe.location } : {}),
    ...(probe.house !== undefined ? { house: probe.house } : {}),
    ...(probe.topic !== undefined ? { topic: probe.topic } : {}),
    ...(options.rejected ? { rejected: true as const } : {}),
  };
}

function unlinked(probe: RepeatProbe, c: RepeatEntry, unlinks: readonly RepeatUnlink[]): boolean {
  for (const u of unlinks) {
    if (sketchSimilarity(probe.sh, u.sh) < UNLINK_COPY) continue;
    if (c.id === u.incidentId) return true;
    if (u.otherSh !== undefined && sketchSimilarity(c.sh, u.otherSh) >= UNLINK_COPY) return true;
  }
  return false;
}

// The spam count and the repeat decision of one message compare its sketch with the same
// candidates: each similarity is computed once (keyed by the probe's sketch, so another
// message never reads them).
const similarities = new LastMemo<readonly number[], Map<readonly number[], number>>();

function similarityTo(probe: RepeatProbe, c: RepeatEntry): number {
  let known = similarities.get(probe.sh);
  if (known === undefined) { known = new Map(); similarities.set(probe.sh, known); }
  let sim = known.get(c.sh);
  if (sim === undefined) { sim = sketchSimilarity(probe.sh, c.sh); known.set(c.sh, sim); }
  return sim;
}

/** Shingles shared by two sketches, over the smaller sketch (how much of the shorter text the longer holds). */
function containment(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0; let j = 0; let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) { both++; i++; j++; } else if (a[i]! < b[j]!) i++; else j++;
  }
  return both / Math.min(a.length, b.length);
}

/** Whether a candidate is the same problem; how strongly (for choosing among several). */
function sameProblem(probe: RepeatProbe, c: RepeatEntry): { by: RepeatMatch['by']; sim: number; strength: number } | null {
  // «Нет горячей воды» on another street is another problem, however alike the words.
  if (probe.location !== undefined && c.location !== undefined && probe.location !== c.location) return null;
  const sim = similarityTo(probe, c);
  const sameAuthor = probe.author !== undefined && probe.author === c.author;
  if (sim >= TEXT_THRESHOLD - (sameAuthor ? AUTHOR_EASING : 0)) return { by: 'text', sim, strength: 1 + sim };
  const samePlace = probe.location !== undefined && probe.location === c.location && probe.topic !== undefined && probe.topic === c.topic;
  if (!samePlace) return null;
  const sameHouse = probe.house !== undefined && probe.house === c.house;
  const shared = containment(probe.sh, c.sh);
  const easing = sameAuthor ? AUTHOR_EASING_PLACE : 0;
  const enough = sameHouse
    ? shared >= SAME_HOUSE_CONTAINMENT - easing
    : shared >= SAME_STREET_CONTAINMENT - easing || sim >= SAME_STREET_SIMILARITY - easing;
  return enough ? { by: 'place', sim, strength: shared + (sameHouse ? 0.2 : 0) } : null;
}

/** The earlier incident this message repeats, or null. */
export function decideRepeat(probe: RepeatProbe, candidates: readonly RepeatEntry[], options: RepeatDecisionOptions = {}): RepeatMatch | null {
  const windowMs = options.windowMs ?? DEFAULT_REPEAT_WINDOW_MS;
  const unlinks = options.unlinks ?? [];
  let best: { entry: RepeatEntry; sim: number; strength: number; by: RepeatMatch['by'] } | null = null;
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.rejected || seen.has(c.id) || Math.abs(probe.at - c.at) > windowMs) continue;
    seen.add(c.id);
    const same = sameProblem(probe, c);
    if (same === null || unlinked(probe, c, unlinks)) continue;
    // The strongest wins; on a tie, the newer incident (the latest report of the problem).
    if (best === null || same.strength > best.strength || (same.strength === best.strength && c.at > best.entry.at)) best = { entry: c, ...same };
  }
  return best === null ? null : { incidentId: best.entry.id, similarity: round(best.sim), by: best.by };
}

/** How many candidates are near copies of this text, rejected ones included (spam). */
export function countNearCopies(probe: RepeatProbe, candidates: readonly RepeatEntry[], options: { windowMs?: number } = {}): number {
  const windowMs = options.windowMs ?? 30 * 24 * 3600 * 1000;
  const seen = new Set<string>();
  let count = 0;
  for (const c of candidates) {
    if (seen.has(c.id) || Math.abs(probe.at - c.at) > windowMs) continue;
    seen.add(c.id);
    if (similarityTo(probe, c) >= NEAR_COPY) count++;
  }
  return count;
}

/** The sketch of a text, for unlink corrections. */
export function sketchOf(text: string): number[] {
  return Array.from(shingles(text).subarray(0, SKETCH_SIZE));
}

export interface RepeatQuery {
  readonly text: string;
  readonly author?: string;
  /** Normalized location value (the gazetteer's name), when known. */
  readonly location?: string;
  readonly house?: string;
  readonly topic?: string;
  readonly at?: number;
}

/** An incident as the in-memory index takes it when no probe is at hand. */
export interface IndexedIncident extends RepeatQuery {
  readonly id: string;
}

/**
 * The store's design in memory: entries filed under their keys, each key keeping its
 * newest REPEAT_BUCKET_CAP entries, so a query's cost does not grow with the number of
 * incidents (bench/repeat.ts measures 100,000).
 */
export class RepeatIndex {
  private readonly buckets = new Map<string, RepeatEntry[]>();
  private count = 0;
  private compared = 0;

  constructor(private readonly options: RepeatDecisionOptions & { readonly bucketCap?: number } = {}) {}

  get size(): number {
    return this.count;
  }

  /** How many stored entries the last look-up returned (for the benchmark). */
  get lastCandidates(): number {
    return this.compared;
  }

  /** Files an entry under the probe's keys (what the worker does in the store). */
  file(keys: readonly string[], entry: RepeatEntry): void {
    const cap = this.options.bucketCap ?? REPEAT_BUCKET_CAP;
    for (const key of keys) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) this.buckets.set(key, [entry]);
      else { bucket.push(entry); if (bucket.length > cap) bucket.shift(); }
    }
    this.count++;
  }

  /**
   * Adds an incident by its text. When the message was just classified against this index
   * (`Classifier.classifyAgainst`), its probe — with the suggested topic, place, house and
   * time — is used; otherwise one is computed from what the incident carries.
   */
  add(incident: IndexedIncident): void {
    const remembered = this.recent.get(incident.text);
    this.recent.delete(incident.text);
    const probe = remembered !== undefined && incident.location === undefined && incident.topic === undefined
      ? { ...remembered, ...(incident.author !== undefined ? { author: incident.author } : {}) }
      : remembered !== undefined
        ? repeatProbe({ ...incident, topic: incident.topic ?? remembered.topic ?? null, house: incident.house ?? remembered.house ?? null, at: incident.at ?? remembered.at })
        : repeatProbe({ ...incident, at: incident.at ?? 0 });
    this.file(probe.keys, repeatEntry(probe, incident.id));
  }

  private readonly recent = new Map<string, RepeatProbe>();

  /** Keeps the probe of a message just classified against this index, for its `add`. */
  remember(text: string, probe: RepeatProbe): void {
    this.recent.set(text, probe);
    if (this.recent.size > 100) this.recent.delete(this.recent.keys().next().value!);
  }

  /** The entries filed under any of the keys. */
  candidates(keys: readonly string[]): RepeatEntry[] {
    const out: RepeatEntry[] = [];
    // Most messages find a handful of entries: a set to tell the ones seen only for more.
    let seen: Set<RepeatEntry> | null = null;
    for (const key of keys) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) continue;
      for (const e of bucket) {
        if (seen === null && out.length >= 16) seen = new Set(out);
        if (seen !== null ? seen.has(e) : out.includes(e)) continue;
        seen?.add(e);
        out.push(e);
      }
    }
    this.compared = out.length;
    return out;
  }

  find(query: RepeatQuery): RepeatMatch | null {
    const probe = repeatProbe({ ...query, at: query.at ?? 0 });
    return decideRepeat(probe, this.candidates(probe.keys), this.options);
  }

  /** How many stored texts are near copies of this one (spam posted again and again). */
  countNearCopies(text: string): number {
    const probe = repeatProbe({ text, at: 0 });
    return countNearCopies(probe, this.candidates(probe.keys));
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
