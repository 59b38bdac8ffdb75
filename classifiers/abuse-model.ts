/**
 * The learned abuse model at classification time: the trained weights (data/abuse-weights.ts,
 * written by `npm run train:abuse`) unpacked into one dense table, a message's hashed
 * features (abuse-features.ts) summed per class, and the words that weighed most for the
 * winning reason as the evidence a curator reads.
 *
 * The weights are stored sparse and quantized: the indices of the features with any
 * weight, delta-encoded as unsigned varints, and one signed byte per class and feature in
 * units of `step`, both base64.
 */
import {
  extractFeatures, FEATURE_COUNT, FeatureBuffer, featureWord, MENTION_FEATURE, NO_TOKEN, pairFeatureAfter, pairHead, PHONE_FEATURE, URL_FEATURE, wordFeatures,
} from './abuse-features.js';
import { ABUSE_CLASSES, CLASS_COUNT, fromScores, toGradient, type AbuseWeights } from './abuse-training.js';
import type { AbuseThresholds } from './abuse-threshold.js';
import { ABUSE_WEIGHTS } from './data/abuse-weights.js';
import { normalize, type Normalized } from './normalize.js';
import { REASON_CODES, type ReasonCode } from './types.js';

export interface PackedAbuseModel {
  readonly version: string;
  /** FNV-1a of the training texts and labels, in order: stale when the data changed. */
  readonly dataHash: string;
  readonly examples: number;
  readonly featureBits: number;
  readonly classes: readonly string[];
  readonly thresholds: AbuseThresholds;
  readonly bias: readonly number[];
  readonly step: number;
  readonly rows: string;
  readonly values: string;
}

export interface AbuseScore {
  /** Probability that the message is to be rejected, for any reason. */
  readonly reject: number;
  /** The most likely reason. */
  readonly reason: ReasonCode;
}

/** Sparse, quantized form of trained weights. */
export function packWeights(w: AbuseWeights): Pick<PackedAbuseModel, 'bias' | 'step' | 'rows' | 'values'> {
  let max = 0;
  for (let i = 0; i < w.weights.length; i++) max = Math.max(max, Math.abs(w.weights[i]!));
  const step = max === 0 ? 1 : Number((max / 127).toPrecision(6));
  const rows: number[] = [];
  const values: number[] = [];
  let last = 0;
  for (let f = 0; f < FEATURE_COUNT; f++) {
    const q = new Int8Array(CLASS_COUNT);
    let any = false;
    for (let c = 0; c < CLASS_COUNT; c++) {
      q[c] = Math.max(-127, Math.min(127, Math.round(w.weights[f * CLASS_COUNT + c]! / step)));
      if (q[c] !== 0) any = true;
    }
    if (!any) continue;
    let delta = f - last;
    last = f;
    while (delta >= 0x80) { rows.push((delta & 0x7f) | 0x80); delta >>>= 7; }
    rows.push(delta);
    for (let c = 0; c < CLASS_COUNT; c++) values.push(q[c]! & 0xff);
  }
  return {
    bias: Array.from(w.bias, (b) => Number(b.toFixed(5))),
    step,
    rows: Buffer.from(Uint8Array.from(rows)).toString('base64'),
    values: Buffer.from(Uint8Array.from(values)).toString('base64'),
  };
}

/** The quantized table, dense: `table[feature * CLASS_COUNT + class]` in units of `step`. */
function unpack(packed: PackedAbuseModel): Int8Array {
  const dense = new Int8Array(FEATURE_COUNT * CLASS_COUNT);
  const rows = Buffer.from(packed.rows, 'base64');
  const values = new Int8Array(Buffer.from(packed.values, 'base64'));
  let f = 0; let v = 0; let shift = 0; let delta = 0;
  for (const byte of rows) {
    delta |= (byte & 0x7f) << shift;
    if (byte & 0x80) { shift += 7; continue; }
    f += delta; delta = 0; shift = 0;
    for (let c = 0; c < CLASS_COUNT; c++) dense[f * CLASS_COUNT + c] = values[v++]!;
  }
  return dense;
}

/** A word's rows summed per class (its feature count last), its stem, and its stem's `pairHead`. */
interface WordSums {
  readonly sums: Float64Array;
  readonly stem: string;
  readonly pairHead: number;
}

export class AbuseModel {
  readonly version: string;
  readonly thresholds: AbuseThresholds;
  readonly bias: Float64Array;
  /**
   * The weights: the shipped ones as signed bytes in units of `unit` (a quarter of the
   * memory of floats, so that a message's few hundred look-ups stay in the processor's
   * cache), freshly trained or fine-tuned ones as floats (`unit` 1).
   */
  private readonly table: Int8Array | Float32Array;
  private readonly unit: number;
  private readonly buffer = new FeatureBuffer();
  /** Per word, its rows summed per class (its feature count last) and its stem; kept per model. */
  private readonly plainSums = new Map<string, WordSums>();
  private readonly quotedSums = new Map<string, WordSums>();
  private readonly z = new Float64Array(CLASS_COUNT);
  /** What words' facts name as the owner of the sums they keep; new whenever the kept sums are forgotten. */
  private sumsOwner: object = {};

  constructor(packed: PackedAbuseModel, weights?: AbuseWeights) {
    if (packed.featureBits !== Math.log2(FEATURE_COUNT) || packed.classes.join() !== ABUSE_CLASSES.join()) {
      throw new Error(`abuse model ${packed.version}: trained for other features or classes; run npm run train:abuse`);
    }
    // score() sums the seven classes in seven variables.
    if (CLASS_COUNT !== 7) throw new Error(`abuse model: score() sums 7 classes, there are ${CLASS_COUNT}`);
    this.version = packed.version;
    this.thresholds = packed.thresholds;
    this.table = weights?.weights ?? unpack(packed);
    this.unit = weights === undefined ? packed.step : 1;
    this.bias = weights?.bias ?? Float64Array.from(packed.bias);
  }

  /** The weights as floats, for fine-tuning. */
  floatWeights(): Float32Array {
    if (this.table instanceof Float32Array) return Float32Array.from(this.table);
    const out = new Float32Array(this.table.length);
    for (let i = 0; i < out.length; i++) out[i] = this.table[i]! * this.unit;
    return out;
  }

  /** A model from freshly trained weights (cross-validation), with its thresholds. */
  static fromTrained(weights: AbuseWeights, thresholds: AbuseThresholds): AbuseModel {
    return new AbuseModel({ ...ABUSE_WEIGHTS, version: 'trained', thresholds }, weights);
  }

  /** The model's probability of a rejection and its reason; `skip`: token indexes to leave out. */
  score(n: Normalized, skip?: ReadonlySet<number>): AbuseScore {
    const z = this.z;
    for (let c = 0; c < CLASS_COUNT; c++) z[c] = 0;
    let count = 0;
    if (skip === undefined) {
      // The usual path: a word's n-grams and stem summed once per word and kept.
      let previous: WordSums | null = null;
      const tokens = n.tokens;
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i]!;
        const word = featureWord(token);
        if (word.length === 0) { previous = null; continue; }
        // A word's sums kept with its facts are read without a look-up in the model's table of words.
        const facts = token.facts;
        let kept: WordSums;
        if (facts === undefined || token.quoted) kept = this.wordSums(word, token.quoted);
        else if (facts.abuseOwner === this.sumsOwner) kept = facts.abuseSums as WordSums;
        else { kept = this.wordSums(word, false); facts.abuseSums = kept; facts.abuseOwner = this.sumsOwner; }
        const sums = kept.sums;
        for (let c = 0; c < CLASS_COUNT; c++) z[c] = z[c]! + sums[c]!;
        count += sums[CLASS_COUNT]!;
        if (previous !== null) { this.add(pairFeatureAfter(previous.pairHead, kept.stem)); count++; }
        previous = token.sentenceEnd ? null : kept;
      }
      if (n.urls.length > 0) { this.add(URL_FEATURE); count++; }
      if (n.phones.length > 0) { this.add(PHONE_FEATURE); count++; }
      if (n.mentions.length > 0) { this.add(MENTION_FEATURE); count++; }
    } else {
      const b = this.buffer;
      extractFeatures(n, b);
      for (let k = 0; k < b.count; k++) {
        if (skip.has(b.tokens[k]!)) continue;
        count++;
        this.add(b.features[k]!);
      }
    }
    const scale = count === 0 ? 0 : this.unit / Math.sqrt(count);
    for (let c = 0; c < CLASS_COUNT; c++) z[c] = this.bias[c]! + z[c]! * scale;
    return fromScores(z);
  }

  /** Drops the words' kept sums: after the table changed (fine-tuning), or when too many. */
  forget(): void {
    this.plainSums.clear(); this.quotedSums.clear();
    this.sumsOwner = {};
  }

  /** Adds a feature's row (in table units) to the sums in `z`. */
  private add(feature: number): void {
    const w = this.table; const z = this.z; const row = feature * CLASS_COUNT;
    z[0] = z[0]! + w[row]!; z[1] = z[1]! + w[row + 1]!; z[2] = z[2]! + w[row + 2]!; z[3] = z[3]! + w[row + 3]!;
    z[4] = z[4]! + w[row + 4]!; z[5] = z[5]! + w[row + 5]!; z[6] = z[6]! + w[row + 6]!;
  }

  /** A word's rows summed per class, its feature count last, and its stem; kept per model. */
  private wordSums(word: string, quoted: boolean): WordSums {
    const cache = quoted ? this.quotedSums : this.plainSums;
    let kept = cache.get(word);
    if (kept === undefined) {
      const f = wordFeatures(word, quoted);
      const sums = new Float64Array(CLASS_COUNT + 1);
      for (let k = 0; k < f.features.length; k++) {
        const row = f.features[k]! * CLASS_COUNT;
        for (let c = 0; c < CLASS_COUNT; c++) sums[c] = sums[c]! + this.table[row + c]!;
      }
      sums[CLASS_COUNT] = f.features.length;
      if (cache.size >= WORD_SUMS_LIMIT) this.forget();
      kept = { sums, stem: f.stem, pairHead: pairHead(f.stem) };
      cache.set(word, kept);
    }
    return kept;
  }

  /**
   * The words that weighed for `reason` against acceptance, by token index, strongest
   * first, with how much each weighed.
   */
  contributions(n: Normalized, reason: ReasonCode): { readonly token: number; readonly weight: number }[] {
    const b = this.buffer;
    extractFeatures(n, b);
    const cls = ABUSE_CLASSES.indexOf(reason);
    const byToken = new Float64Array(n.tokens.length);
    for (let k = 0; k < b.count; k++) {
      const t = b.tokens[k]!;
      if (t === NO_TOKEN) continue;
      const row = b.features[k]! * CLASS_COUNT;
      byToken[t] = byToken[t]! + (this.table[row + cls]! - this.table[row]!) * this.unit;
    }
    return [...byToken.keys()].filter((t) => byToken[t]! > 0).map((t) => ({ token: t, weight: byToken[t]! })).sort((a, c) => c.weight - a.weight || a.token - c.token);
  }
}

/** A curator's decision on a text, for the model to learn: a reason to reject, or null to accept. */
export interface AbuseCorrection {
  readonly text: string;
  readonly reason: ReasonCode | null;
}

const FINE_TUNE_RATE = 0.5;
/** Words whose sums a model keeps before starting afresh. */
const WORD_SUMS_LIMIT = 50_000;
const FINE_TUNE_EPOCHS = 20;

/**
 * The model after learning a tenant's corrections: passes of plain gradient steps over the
 * corrected texts alone, starting from the shipped weights, until each is on the side the
 * curator chose (or the passes run out). Words of a corrected text move, so texts close to
 * it move too; the rest of the table stays as shipped.
 */
export function fineTuned(model: AbuseModel, corrections: readonly AbuseCorrection[], packed: PackedAbuseModel): AbuseModel {
  if (corrections.length === 0) return model;
  const weights = model.floatWeights();
  const bias = Float64Array.from(model.bias);
  const tuned = new AbuseModel(packed, { weights, bias });
  const examples = corrections.map((c) => ({ n: normalize(c.text), label: c.reason === null ? 0 : 1 + REASON_CODES.indexOf(c.reason) }));
  const buffer = new FeatureBuffer();
  const z = new Float64Array(CLASS_COUNT);
  for (let epoch = 0; epoch < FINE_TUNE_EPOCHS; epoch++) {
    let wrong = 0;
    for (const ex of examples) {
      const p = tuned.score(ex.n).reject;
      const right = ex.label === 0 ? p <= tuned.thresholds.reject : p > tuned.thresholds.reject;
      if (right) continue;
      wrong++;
      extractFeatures(ex.n, buffer);
      if (buffer.count === 0) continue;
      const value = 1 / Math.sqrt(buffer.count);
      for (let c = 0; c < CLASS_COUNT; c++) z[c] = bias[c]!;
      for (let k = 0; k < buffer.count; k++) for (let c = 0; c < CLASS_COUNT; c++) z[c] = z[c]! + weights[buffer.features[k]! * CLASS_COUNT + c]! * value;
      toGradient(z, ex.label);
      for (let k = 0; k < buffer.count; k++) {
        const row = buffer.features[k]! * CLASS_COUNT;
        for (let c = 0; c < CLASS_COUNT; c++) weights[row + c] = weights[row + c]! - FINE_TUNE_RATE * z[c]! * value;
      }
      tuned.forget();
    }
    if (wrong === 0) break;
  }
  return tuned;
}

let shipped: AbuseModel | undefined;

/** The model trained on the shipped labelled texts (data/abuse-weights.ts), unpacked once. */
export function shippedAbuseModel(): AbuseModel {
  shipped ??= new AbuseModel(ABUSE_WEIGHTS);
  return shipped;
}
