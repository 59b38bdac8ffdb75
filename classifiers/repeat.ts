/**
 * Repeat detection (001 [19], 002 [10], 003 [11]): the same author, or the same problem
 * — similar text, same location — as an earlier incident of the tenant.
 *
 * Texts become sets of stem shingles (content stems and pairs of neighbouring stems); a MinHash signature of each set goes into LSH bands, so a
 * query only compares against incidents that share a band bucket and the cost does not
 * grow with the number of stored incidents (bench/repeat.ts measures 100,000). The
 * exact Jaccard similarity of the shingle sets is then the score.
 *
 * The index is an in-memory structure built from the store by the classifier worker;
 * nothing here reads the store.
 */
import { normalize } from './normalize.js';
import { contentStems } from './stem.js';

export interface RepeatMatch {
  readonly incidentId: string;
  /** Jaccard similarity of the two texts' shingle sets, 0..1. */
  readonly similarity: number;
  readonly by: 'author' | 'text';
}

export interface IndexedIncident {
  readonly id: string;
  readonly text: string;
  readonly author?: string;
  /** Normalized location value (the gazetteer's name), when known. */
  readonly location?: string;
}

export interface RepeatQuery {
  readonly text: string;
  readonly author?: string;
  readonly location?: string;
}

export interface RepeatOptions {
  /** Similarity at which two texts are the same problem anywhere. */
  readonly textThreshold?: number;
  /** Lower similarity that suffices when both name the same location. */
  readonly sameLocationThreshold?: number;
}

/**
 * A bucket keeps only its newest incidents: when a problem has been reported hundreds of
 * times, the latest reports are the ones a repeat should point to, and the cost of a
 * query stays bounded however often one complaint recurs.
 */
const BUCKET_CAP = 40;
const HASHES = 64;
const BANDS = 32;
const ROWS = HASHES / BANDS;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Fixed coefficients so that signatures are the same in every process that builds the index.
const COEF_A = new Uint32Array(HASHES);
const COEF_B = new Uint32Array(HASHES);
{
  let seed = 0x9e3779b9;
  const next = (): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
  for (let i = 0; i < HASHES; i++) { COEF_A[i] = next() | 1; COEF_B[i] = next(); }
}

export function shingles(text: string): Uint32Array {
  const stems = contentStems(normalize(text));
  const set = new Set<number>();
  // Single stems make the score tolerant to word order («светофор на Ленина не работает»
  // / «на Ленина не работает светофор»); pairs make it reward the same phrasing.
  for (const s of stems) set.add(fnv1a(s));
  for (let i = 0; i + 1 < stems.length; i++) set.add(fnv1a(`${stems[i]} ${stems[i + 1]}`));
  return Uint32Array.from(set).sort();
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

function bandKey(sig: Uint32Array, band: number): number {
  let h = band + 1;
  for (let r = 0; r < ROWS; r++) h = Math.imul(h ^ sig[band * ROWS + r]!, 0x01000193);
  return h >>> 0;
}

/** Exact Jaccard similarity of two sorted hash sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0; let j = 0; let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) { both++; i++; j++; } else if (a[i]! < b[j]!) i++; else j++;
  }
  return both / (a.length + b.length - both);
}

export class RepeatIndex {
  private readonly ids: string[] = [];
  private readonly sets: Uint32Array[] = [];
  private readonly locations: (string | undefined)[] = [];
  private readonly bands: Map<number, number[]>[] = Array.from({ length: BANDS }, () => new Map());
  private readonly lastByAuthor = new Map<string, number>();
  private readonly textThreshold: number;
  private readonly sameLocationThreshold: number;

  constructor(options: RepeatOptions = {}) {
    this.textThreshold = options.textThreshold ?? 0.5;
    this.sameLocationThreshold = options.sameLocationThreshold ?? 0.25;
  }

  private compared = 0;

  /** How many stored texts the last `find` compared against (for the benchmark). */
  get lastCandidates(): number {
    return this.compared;
  }

  get size(): number {
    return this.ids.length;
  }

  add(incident: IndexedIncident): void {
    const doc = this.ids.length;
    const sh = shingles(incident.text);
    this.ids.push(incident.id);
    this.sets.push(sh);
    this.locations.push(incident.location);
    if (incident.author !== undefined) this.lastByAuthor.set(incident.author, doc);
    if (sh.length === 0) return;
    const sig = signature(sh);
    for (let b = 0; b < BANDS; b++) {
      const key = bandKey(sig, b);
      const bucket = this.bands[b]!.get(key);
      if (bucket === undefined) this.bands[b]!.set(key, [doc]);
      else { bucket.push(doc); if (bucket.length > BUCKET_CAP) bucket.shift(); }
    }
  }

  /** Stored incidents sharing at least one band with the text, with their similarity. */
  private candidates(sh: Uint32Array): Map<number, number> {
    const out = new Map<number, number>();
    if (sh.length === 0) return out;
    const sig = signature(sh);
    for (let b = 0; b < BANDS; b++) {
      const bucket = this.bands[b]!.get(bandKey(sig, b));
      if (bucket === undefined) continue;
      for (const doc of bucket) if (!out.has(doc)) out.set(doc, jaccard(sh, this.sets[doc]!));
    }
    return out;
  }

  find(query: RepeatQuery): RepeatMatch | null {
    const sh = shingles(query.text);
    let best: { doc: number; sim: number } | null = null;
    const candidates = this.candidates(sh);
    const compared = candidates.size;
    for (const [doc, sim] of candidates) {
      const sameLocation = query.location !== undefined && this.locations[doc] === query.location;
      const threshold = sameLocation ? this.sameLocationThreshold : this.textThreshold;
      if (sim >= threshold && (best === null || sim > best.sim)) best = { doc, sim };
    }
    this.compared = compared;
    if (best !== null) return { incidentId: this.ids[best.doc]!, similarity: round(best.sim), by: 'text' };
    if (query.author !== undefined) {
      const doc = this.lastByAuthor.get(query.author);
      if (doc !== undefined) return { incidentId: this.ids[doc]!, similarity: round(jaccard(sh, this.sets[doc]!)), by: 'author' };
    }
    return null;
  }

  /** How many stored texts are near copies of this one (spam posted again and again). */
  countNearCopies(text: string, threshold = 0.9): number {
    let count = 0;
    for (const sim of this.candidates(shingles(text)).values()) if (sim >= threshold) count++;
    return count;
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
