/**
 * Training of the learned abuse model: multinomial logistic regression over the hashed
 * features of abuse-features.ts, the acceptable class and the six reasons, fitted by
 * stochastic gradient descent with AdaGrad steps and L2 shrinkage on the weights a step
 * touches. Pure and deterministic: the order of the examples comes from a seeded
 * generator, so the same texts give the same weights (the weights module is checked
 * against a fresh training by a test).
 *
 * Used by the training command (bin/train-abuse-model.ts), by the cross-validation
 * benchmark (bench/abuse-model-cv.ts) and by a tenant's retrain, which adds the curator's
 * rejections and unrejections as examples (learning.ts).
 */
import { extractFeatures, FEATURE_COUNT, FeatureBuffer } from './abuse-features.js';
import { chooseThresholds, type AbuseThresholds, type ScoredText } from './abuse-threshold.js';
import { normalize } from './normalize.js';
import { REASON_CODES, type ReasonCode } from './types.js';

/** The model's classes: acceptable first, then the reasons in REASON_CODES order. */
export const ABUSE_CLASSES: readonly (ReasonCode | 'ok')[] = ['ok', ...REASON_CODES];
export const CLASS_COUNT = ABUSE_CLASSES.length;

export interface AbuseExample {
  readonly text: string;
  /** null: acceptable. */
  readonly reason: ReasonCode | null;
  /** How much the example counts; 1 by default (a curator's correction counts more). */
  readonly weight?: number;
}

export interface AbuseTrainingOptions {
  readonly epochs?: number;
  readonly learningRate?: number;
  readonly l2?: number;
  readonly seed?: number;
  /** Share of an example's features left out at each step, so that no single n-gram decides. */
  readonly dropout?: number;
}

export const DEFAULT_TRAINING: Required<AbuseTrainingOptions> = { epochs: 12, learningRate: 0.5, l2: 1e-4, seed: 13, dropout: 0 };

/** Dense trained weights: `weights[feature * CLASS_COUNT + class]`, and a bias per class. */
export interface AbuseWeights {
  readonly bias: Float64Array;
  readonly weights: Float32Array;
}

/** A message's features as the trainer keeps them: indices and the value each carries. */
export interface SparseExample {
  readonly features: Int32Array;
  readonly value: number;
  readonly label: number;
  readonly weight: number;
}

const buffer = new FeatureBuffer();

export function sparseExample(example: AbuseExample): SparseExample {
  extractFeatures(normalize(example.text), buffer);
  const features = buffer.features.slice(0, buffer.count);
  return {
    features,
    // Each occurrence weighs 1/√(feature count): long texts do not outvote short ones.
    value: buffer.count === 0 ? 0 : 1 / Math.sqrt(buffer.count),
    label: example.reason === null ? 0 : 1 + REASON_CODES.indexOf(example.reason),
    weight: example.weight ?? 1,
  };
}

/** A small seeded generator (mulberry32): the same seed, the same order. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainAbuseWeights(examples: readonly SparseExample[], options: AbuseTrainingOptions = {}): AbuseWeights {
  const { epochs, learningRate, l2, seed, dropout } = { ...DEFAULT_TRAINING, ...options };
  let kept = new Uint8Array(4096);
  const C = CLASS_COUNT;
  const weights = new Float64Array(FEATURE_COUNT * C);
  const squares = new Float64Array(FEATURE_COUNT * C);
  const bias = new Float64Array(C);
  const biasSquares = new Float64Array(C);
  const z = new Float64Array(C);
  const order = examples.map((_, i) => i);
  const random = generator(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i]!; order[i] = order[j]!; order[j] = swap;
    }
    for (const index of order) {
      const ex = examples[index]!;
      const f = ex.features;
      for (let c = 0; c < C; c++) z[c] = bias[c]!;
      if (f.length > kept.length) kept = new Uint8Array(f.length);
      const n = f.length;
      let keptCount = 0;
      for (let k = 0; k < n; k++) { kept[k] = dropout === 0 || random() >= dropout ? 1 : 0; keptCount += kept[k]!; }
      const value = keptCount === 0 ? 0 : ex.value * Math.sqrt(n / keptCount);
      for (let k = 0; k < n; k++) {
        if (kept[k] === 0) continue;
        const row = f[k]! * C;
        for (let c = 0; c < C; c++) z[c] = z[c]! + weights[row + c]! * value;
      }
      toGradient(z, ex.label, ex.weight);
      for (let c = 0; c < C; c++) {
        biasSquares[c] = biasSquares[c]! + z[c]! * z[c]!;
        bias[c] = bias[c]! - (learningRate * z[c]!) / Math.sqrt(biasSquares[c]! + 1e-8);
      }
      for (let k = 0; k < n; k++) {
        if (kept[k] === 0) continue;
        const row = f[k]! * C;
        for (let c = 0; c < C; c++) {
          const g = z[c]! * value + l2 * weights[row + c]!;
          squares[row + c] = squares[row + c]! + g * g;
          weights[row + c] = weights[row + c]! - (learningRate * g) / Math.sqrt(squares[row + c]! + 1e-8);
        }
      }
    }
  }
  return { bias, weights: Float32Array.from(weights) };
}

/** Probability that the message is to be rejected (any reason), and the most likely reason. */
export function scoreSparse(w: AbuseWeights, ex: SparseExample): { reject: number; reason: ReasonCode } {
  const C = CLASS_COUNT;
  const z = Array.from(w.bias);
  for (let k = 0; k < ex.features.length; k++) {
    const row = ex.features[k]! * C;
    for (let c = 0; c < C; c++) z[c]! += w.weights[row + c]! * ex.value;
  }
  return fromScores(z);
}

/**
 * Turns the classes' scores `z` into the gradient of the log loss by those scores, in place:
 * softmax(z) − one-hot(label), times the example's `weight`. Training and a tenant's
 * fine-tuning (abuse-model.ts) take the same step.
 */
export function toGradient(z: Float64Array, label: number, weight = 1): void {
  let max = -Infinity;
  for (let c = 0; c < CLASS_COUNT; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0;
  for (let c = 0; c < CLASS_COUNT; c++) { z[c] = Math.exp(z[c]! - max); sum += z[c]!; }
  for (let c = 0; c < CLASS_COUNT; c++) z[c] = weight * (z[c]! / sum - (c === label ? 1 : 0));
}

export function fromScores(z: ArrayLike<number>): { reject: number; reason: ReasonCode } {
  let max = -Infinity;
  for (let c = 0; c < CLASS_COUNT; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0; let ok = 0; let best = 1;
  for (let c = 0; c < CLASS_COUNT; c++) {
    const e = Math.exp(z[c]! - max);
    sum += e;
    if (c === 0) ok = e;
    else if (z[c]! > z[best]!) best = c;
  }
  return { reject: 1 - ok / sum, reason: REASON_CODES[best - 1]! };
}

/** One writer's or one occasion's labelled texts: the unit of leave-one-set-out. */
export interface AbuseTrainingSet {
  readonly name: string;
  readonly examples: readonly AbuseExample[];
}

/** A stable hash of the training texts and labels, in order (FNV-1a, hex). */
export function abuseDataHash(sets: readonly AbuseTrainingSet[]): string {
  let h = 0x811c9dc5;
  for (const set of sets) {
    for (const e of set.examples) {
      const s = `${e.reason ?? 'ok'}\u0000${e.text}\u0001`;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface BuiltAbuseModel {
  readonly weights: AbuseWeights;
  readonly thresholds: AbuseThresholds;
  readonly dataHash: string;
  readonly examples: number;
}

/**
 * The shipped model from the labelled sets: thresholds from out-of-fold probabilities
 * (each set scored by a model trained on the others and on `always`), then weights trained
 * on everything. `rules` says whether the rules reject a text, since the thresholds hold
 * for rules and model together.
 */
export function buildAbuseModel(sets: readonly AbuseTrainingSet[], always: readonly AbuseExample[], rules: (text: string) => boolean, options: AbuseTrainingOptions = {}): BuiltAbuseModel {
  const sparse = sets.map((s) => s.examples.map(sparseExample));
  const base = always.map(sparseExample);
  const scored: ScoredText[] = [];
  sets.forEach((set, j) => {
    const w = trainAbuseWeights([...sparse.filter((_, i) => i !== j).flat(), ...base], options);
    set.examples.forEach((e, k) => scored.push({ acceptable: e.reason === null, rules: rules(e.text), p: scoreSparse(w, sparse[j]![k]!).reject, set: set.name }));
  });
  const all = [...sparse.flat(), ...base];
  return {
    weights: trainAbuseWeights(all, options),
    thresholds: chooseThresholds(scored),
    dataHash: abuseDataHash([...sets, { name: 'always', examples: always }]),
    examples: all.length,
  };
}
