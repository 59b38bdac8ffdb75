/**
 * Topic: multinomial naive Bayes over Russian stems and stem bigrams.
 *
 * natural's own BayesClassifier builds a dense vector over the whole vocabulary for
 * every message and stores its model as nested objects; here only the stems present
 * in a message are looked up, which keeps classification in the microseconds the
 * 5,000 messages/s target needs, and the model is a plain JSON document that the store
 * keeps as a versioned model. natural supplies the stemmer (stem.ts).
 *
 * Topic lists are per tenant: a model knows only the topics it was trained on, and a
 * tenant's curator corrections can add new ones (learning.ts).
 */
import { normalize, type Normalized } from './normalize.js';
import { contentStems, contentStemsBoth, stem } from './stem.js';

export interface LabelledText {
  readonly text: string;
  readonly topic: string;
  /** How much this example counts; curator corrections count more than shipped examples. */
  readonly weight?: number;
  /**
   * Who wrote it (a labelled set's name): the calibration's folds keep a writer's texts
   * together, so that the confidence shown is that measured on writers the fold never read.
   */
  readonly group?: string;
}

export interface TopicGuess {
  readonly value: string;
  /**
   * Calibrated probability that the topic is right, 0..1: of the suggestions shown with
   * 0.9, about nine in ten are right (bench/classifier.ts prints the reliability table).
   */
  readonly confidence: number;
  /** The runner-up, for the curator's second click; null when the model knows one topic. */
  readonly second: { readonly value: string; readonly confidence: number } | null;
}

/** The serialized model, as stored. */
export interface TopicModelData {
  readonly kind: 'multinomial-nb';
  readonly alpha: number;
  readonly topics: readonly string[];
  /** Weighted number of training documents per topic. */
  readonly docs: readonly number[];
  /** Weighted feature counts per topic, feature → count. */
  readonly counts: readonly Readonly<Record<string, number>>[];
  /**
   * How often the top suggestion was right at each posterior, measured by
   * cross-validation when the model was trained: a monotone map from the posterior of the
   * top topic (`p`, ascending) to the share right (`right`). Absent in models stored
   * before it existed, which then show the raw posterior.
   */
  readonly calibration?: { readonly p: readonly number[]; readonly right: readonly number[] };
  /**
   * How the counts are scored: 'complement' (each topic by how unlike the other topics'
   * texts the message is — complement naive Bayes, Rennie et al. 2003, steadier with many
   * topics and short texts) or, in models stored before it, the multinomial likelihood.
   */
  readonly scoring?: 'complement' | 'multinomial';
}

/**
 * Words that name the paperwork, not the subject (документы, МФЦ, справка, госуслуги,
 * оформить): they count for little, so that «какие документы нужны в МФЦ на пособие» is
 * about the allowance, not about «другое».
 */
const GENERIC_WORDS = ['документ', 'документы', 'документов', 'мфц', 'справка', 'справку', 'справки', 'госуслуги', 'госуслуг', 'заявление', 'заявления',
  'оформить', 'оформлять', 'оформляют', 'получить', 'получать', 'подать', 'подавать', 'обращаться', 'обратиться', 'нужны', 'нужна', 'нужно', 'какие', 'где', 'куда'];
const GENERIC_WEIGHT = 0.25;
let genericStems: ReadonlySet<string> | null = null;

function isGeneric(feature: string, stemOf: (w: string) => string): boolean {
  genericStems ??= new Set(GENERIC_WORDS.map(stemOf));
  const cut = feature.indexOf('_');
  if (cut < 0) return genericStems.has(feature);
  return genericStems.has(feature.slice(0, cut)) && feature.split('_').every((p) => genericStems!.has(p));
}

/**
 * A word with a capital letter inside a sentence is a name: a street, a village, a person,
 * a shop. Names say where, not what: «Гагарина» in a training text about a road would
 * otherwise pull every later message from that street towards roads.
 */
const NAME_INSIDE_SENTENCE = /(?<=[^\s.!?…]\s+)\p{Lu}\p{Ll}+/gu;

/** The stems the topic model reads: content stems without the names written in the message. */
export function topicStems(n: Normalized): string[] {
  return contentStems(n, namesInside(n));
}

/** The topic's stems and every content stem (for the repeat probe), in one pass. */
export function topicAndContentStems(n: Normalized): { readonly topic: string[]; readonly content: string[] } {
  const { all, kept } = contentStemsBoth(n, namesInside(n));
  return { topic: kept, content: all };
}

function namesInside(n: Normalized): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const m of n.original.matchAll(NAME_INSIDE_SENTENCE)) (names ??= new Set()).add(m[0].toLowerCase().replace(/ё/g, 'е'));
  return names;
}

export function features(stems: readonly string[]): string[] {
  const out = new Set<string>(stems);
  for (let i = 0; i + 1 < stems.length; i++) out.add(`${stems[i]}_${stems[i + 1]}`);
  return [...out];
}

interface StemEntry {
  row: number;
  readonly id: number;
  pairs: Map<number, number> | null;
  /** The `score` call that last added the stem's row: a stem counts once per message. */
  scored: number;
}

export class TopicModel {
  readonly topics: readonly string[];
  private readonly logPrior: Float64Array;
  private readonly logDenominator: Float64Array;
  /**
   * The distinct rows of scores, one score per topic; every feature's offset points at its
   * row. Most features are pairs seen once in one topic, and all such features of a topic
   * share one row: 67,302 features had 5,746 distinct rows, so the rows a message reads fit
   * in the processor's caches instead of being fetched from an 8.6 MB table one by one.
   */
  private readonly table: Float64Array;
  private readonly featureIndex = new Map<string, number>();
  /**
   * By stem: its own row (-1 when the stem is a feature only in pairs), its number, and the
   * rows of the pairs («a_b») it starts, by the second stem's number. One look-up per stem
   * of a message finds all three; a pair is then found by number, not by string, and every
   * second stem of a pair has an entry, so a stem without one ends no known pair.
   */
  private readonly byStem = new Map<string, StemEntry>();
  private readonly unseen: Float64Array;
  /**
   * Scratch for `classify`, which keeps neither past its return: a typed array costs about
   * a microsecond to allocate, as much as adding up a short message's rows.
   */
  private readonly scoreScratch: Float64Array;
  private readonly pScratch: Float64Array;
  private readonly entriesScratch: (StemEntry | undefined)[] = [];
  private scoreCalls = 0;

  constructor(readonly data: TopicModelData) {
    const k = data.topics.length;
    this.topics = data.topics;
    // Every feature's column once, then the counts poured in topic by topic: one pass over
    // each topic's counts instead of a lookup per feature and topic.
    const column = new Map<string, number>();
    for (const c of data.counts) for (const f in c) if (!column.has(f)) column.set(f, column.size);
    const vocabSize = column.size;
    const totalDocs = data.docs.reduce((a, b) => a + b, 0);
    this.logPrior = new Float64Array(k);
    this.logDenominator = new Float64Array(k);
    this.unseen = new Float64Array(k);
    this.scoreScratch = new Float64Array(k);
    this.pScratch = new Float64Array(k);
    const complement = data.scoring === 'complement';
    const sums = data.counts.map((c) => { let total = 0; for (const f in c) total += c[f]!; return total; });
    const all = sums.reduce((a, b) => a + b, 0);
    for (let t = 0; t < k; t++) {
      // Complement scoring ignores the priors: how many examples a topic has says little
      // about a citizen's next message.
      this.logPrior[t] = complement ? 0 : Math.log((data.docs[t]! + 1) / (totalDocs + k));
      this.logDenominator[t] = complement
        ? Math.log(all - sums[t]! + data.alpha * (vocabSize + 1))
        : Math.log(sums[t]! + data.alpha * (vocabSize + 1));
      this.unseen[t] = Math.log(data.alpha) - this.logDenominator[t]!;
    }
    // Every row in one buffer rather than one allocation per feature. It holds the counts
    // first; each feature's scores then go to the first row holding the same scores, bit for
    // bit, which lies at or before the feature's own row (already read), so the distinct rows
    // are packed at the front in place and the rest is let go.
    const table = new Float64Array(vocabSize * k);
    for (let t = 0; t < k; t++) {
      const c = data.counts[t]!;
      for (const f in c) table[column.get(f)! * k + t] = c[f]!;
    }
    const row = new Float64Array(k);
    const rowBits = new Uint16Array(row.buffer);
    const rowOf = new Map<string, number>();
    let distinct = 0;
    for (const [f, at] of column) {
      const counts = at * k;
      const weight = isGeneric(f, stem) ? GENERIC_WEIGHT : 1;
      let total = 0;
      if (complement) for (let t = 0; t < k; t++) total += table[counts + t]!;
      for (let t = 0; t < k; t++) {
        const own = table[counts + t]!;
        // Complement: minus the log share of the feature among the other topics' counts.
        row[t] = complement
          ? -weight * (Math.log(total - own + data.alpha) - this.logDenominator[t]!)
          : weight * (Math.log(own + data.alpha) - this.logDenominator[t]!);
      }
      const bits = String.fromCharCode(...rowBits);
      let offset = rowOf.get(bits);
      if (offset === undefined) {
        offset = distinct * k;
        table.set(row, offset);
        rowOf.set(bits, offset);
        distinct++;
      }
      this.featureIndex.set(f, offset);
      const cut = f.indexOf('_');
      if (cut < 0) {
        this.entryOf(f).row = offset;
      } else if (cut === f.lastIndexOf('_')) {
        const entry = this.entryOf(f.slice(0, cut));
        (entry.pairs ??= new Map()).set(this.entryOf(f.slice(cut + 1)).id, offset);
      }
    }
    this.table = table.slice(0, distinct * k);
  }

  private entryOf(stem: string): StemEntry {
    let entry = this.byStem.get(stem);
    if (entry === undefined) { entry = { row: -1, id: this.byStem.size, pairs: null, scored: 0 }; this.byStem.set(stem, entry); }
    return entry;
  }

  static train(
    examples: readonly LabelledText[],
    options: {
      alpha?: number;
      topics?: readonly string[];
      stems?: (text: string) => string[];
      /** Words that mark a topic, added as feature counts without adding documents. */
      lexicon?: Readonly<Record<string, string>>;
      lexiconWeight?: number;
      /** Fit the calibration by cross-validation (default: yes, from 50 examples). */
      calibrate?: boolean;
      /** Complement naive Bayes by default; 'multinomial' as models were before. */
      scoring?: 'complement' | 'multinomial';
    },
  ): TopicModel {
    // With a calibration every text is stemmed again by each fold: once is enough.
    const calibrating = options.calibrate !== false && examples.length >= 50;
    const toStems = calibrating ? cachedStems(options.stems ?? defaultStems) : options.stems ?? defaultStems;
    const topics = [...new Set([...(options.topics ?? []), ...examples.map((e) => e.topic)])];
    const docs = topics.map(() => 0);
    const counts: Record<string, number>[] = topics.map(() => ({}));
    for (const e of examples) {
      const t = topics.indexOf(e.topic);
      const w = e.weight ?? 1;
      docs[t]! += w;
      // Presence, not frequency: a complaint repeating «вода» five times is no more about water.
      for (const f of features(toStems(e.text))) counts[t]![f] = (counts[t]![f] ?? 0) + w;
    }
    const lexiconWeight = options.lexiconWeight ?? 5;
    for (const [topic, words] of Object.entries(options.lexicon ?? {})) {
      const t = topics.indexOf(topic);
      if (t < 0) continue;
      for (const f of new Set(toStems(words))) counts[t]![f] = (counts[t]![f] ?? 0) + lexiconWeight;
    }
    const scoring = options.scoring ?? 'complement';
    const data: TopicModelData = { kind: 'multinomial-nb', alpha: options.alpha ?? (scoring === 'complement' ? 1 : 0.3), topics, docs, counts, scoring };
    if (!calibrating) return new TopicModel(data);
    return new TopicModel({ ...data, calibration: fitCalibration(examples, { ...options, stems: toStems, calibrate: false }) });
  }

  /**
   * The log score per topic: the prior plus the row of every feature of the message the
   * model knows, in the order of `features` (stems, then pairs), each feature once.
   */
  private score(stems: readonly string[], score: Float64Array = new Float64Array(this.topics.length)): Float64Array {
    const k = this.topics.length;
    score.set(this.logPrior);
    const table = this.table;
    let known = 0;
    if (holdsSeparator(stems)) {
      // A stem that holds the pair separator could spell another pair: the joined keys decide.
      for (const f of features(stems)) {
        const at = this.featureIndex.get(f);
        if (at === undefined) continue;
        known++;
        for (let t = 0; t < k; t++) score[t]! += table[at + t]!;
      }
    } else {
      // The same features without building their strings: pairs are looked up stem by stem,
      // each stem once; the stems' rows are added first, then the pairs', as `features` lists them.
      // Two stems are equal exactly when their entries are the same object.
      const n = stems.length;
      const entries = this.entriesScratch;
      // A stem seen earlier in the message is marked with this call's number, not searched
      // for among the stems before it.
      const call = ++this.scoreCalls;
      for (let i = 0; i < n; i++) {
        const entry = this.byStem.get(stems[i]!);
        entries[i] = entry;
        if (entry === undefined || entry.row < 0 || entry.scored === call) continue;
        entry.scored = call;
        known++;
        const at = entry.row;
        for (let t = 0; t < k; t++) score[t]! += table[at + t]!;
      }
      for (let i = 0; i + 1 < n; i++) {
        const pairs = entries[i]?.pairs;
        const next = entries[i + 1];
        if (pairs == null || next === undefined) continue;
        const at = pairs.get(next.id);
        if (at === undefined || seenBefore(entries, i, true)) continue;
        known++;
        for (let t = 0; t < k; t++) score[t]! += table[at + t]!;
      }
    }
    if (known === 0) {
      // Nothing the model has seen: fall back to the prior rather than pretend.
      for (let t = 0; t < k; t++) score[t] = this.logPrior[t]!;
    }
    return score;
  }

  /** Topics ranked by posterior probability. */
  rank(stems: readonly string[]): { value: string; confidence: number }[] {
    const ranked = posterior(this.topics, this.score(stems));
    const cal = this.data.calibration;
    const top = ranked[0];
    if (cal === undefined || top === undefined || cal.p.length === 0) return ranked;
    // The top topic gets the share measured right at its posterior; the others share the
    // rest in proportion to their posteriors.
    const calibrated = interpolate(cal.p, cal.right, top.confidence);
    const rest = 1 - top.confidence;
    return ranked.map((r, i) => ({
      value: r.value,
      confidence: i === 0 ? calibrated : rest > 0 ? (r.confidence * (1 - calibrated)) / rest : 0,
    }));
  }

  /** The raw log scores per topic (for calibration). */
  logScores(stems: readonly string[]): Float64Array {
    const k = this.topics.length;
    const score = Float64Array.from(this.logPrior);
    for (const f of features(stems)) {
      const at = this.featureIndex.get(f);
      if (at === undefined) continue;
      for (let t = 0; t < k; t++) score[t]! += this.table[at + t]!;
    }
    return score;
  }

  classify(n: Normalized, stems: readonly string[] = topicStems(n)): TopicGuess {
    // The first two of `rank`, without ranking the rest: the highest posterior, ties to
    // the earlier topic as the stable sort in `rank` leaves them.
    const k = this.topics.length;
    if (k === 0) throw new Error('topic model has no topics');
    const p = probabilities(this.score(stems, this.scoreScratch), this.pScratch);
    let first = 0;
    for (let t = 1; t < k; t++) if (p[t]! > p[first]!) first = t;
    let second = -1;
    for (let t = 0; t < k; t++) if (t !== first && (second < 0 || p[t]! > p[second]!)) second = t;
    const top = p[first]!;
    const cal = this.data.calibration;
    let confidence = top;
    let secondConfidence = second < 0 ? 0 : p[second]!;
    if (cal !== undefined && cal.p.length > 0) {
      const calibrated = interpolate(cal.p, cal.right, top);
      const rest = 1 - top;
      confidence = calibrated;
      secondConfidence = rest > 0 ? (secondConfidence * (1 - calibrated)) / rest : 0;
    }
    return {
      value: this.topics[first]!,
      confidence: round3(confidence),
      second: second < 0 ? null : { value: this.topics[second]!, confidence: round3(secondConfidence) },
    };
  }

  toJSON(): TopicModelData {
    return this.data;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function probabilities(score: Float64Array, p: Float64Array = new Float64Array(score.length)): Float64Array {
  let max = -Infinity;
  for (let t = 0; t < score.length; t++) if (score[t]! > max) max = score[t]!;
  let sum = 0;
  for (let t = 0; t < score.length; t++) { p[t] = Math.exp(score[t]! - max); sum += p[t]!; }
  for (let t = 0; t < score.length; t++) p[t] = p[t]! / sum;
  return p;
}

function posterior(topics: readonly string[], score: Float64Array): { value: string; confidence: number }[] {
  const p = probabilities(score);
  return topics.map((value, t) => ({ value, confidence: p[t]! })).sort((a, b) => b.confidence - a.confidence);
}

function holdsSeparator(stems: readonly string[]): boolean {
  for (let i = 0; i < stems.length; i++) if (stems[i]!.includes('_')) return true;
  return false;
}

/** Whether the stem (or the pair starting) at `i` occurred earlier: each feature counts once. */
function seenBefore(entries: readonly (StemEntry | undefined)[], i: number, pair: boolean): boolean {
  for (let j = 0; j < i; j++) if (entries[j] === entries[i] && (!pair || entries[j + 1] === entries[i + 1])) return true;
  return false;
}

function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= xs[0]!) return ys[0]!;
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]!) {
      const t = (x - xs[i - 1]!) / (xs[i]! - xs[i - 1]! || 1);
      return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
    }
  }
  return ys[ys.length - 1]!;
}

/**
 * Naive Bayes multiplies evidence as if words were independent, so its posterior is too
 * sure on long texts and not sure enough on short ones: shown as is, a suggestion at 98 %
 * was right 92 % of the time and one at 45 % was right 55 % of the time. The
 * calibration is measured by five-fold cross-validation on the training examples (each
 * fold scored by a model trained without it): isotonic regression (pool adjacent
 * violators) of "the top topic was right" on its posterior gives a monotone map, kept
 * as at most 20 points. Folds are chosen by the example's position, so the fit is the
 * same on every run.
 */
function fitCalibration(examples: readonly LabelledText[], options: Parameters<typeof TopicModel.train>[1]): { p: number[]; right: number[] } {
  const toStems = options.stems ?? defaultStems;
  const FOLDS = 5;
  const groups = [...new Set(examples.flatMap((e) => (e.group === undefined ? [] : [e.group])))].sort();
  // With writers to hold out, only their texts are scored and the examples of no writer
  // (the hand-written ones, a curator's corrections) are learned by every fold, as a new
  // writer's message meets a model that learned them all: scoring hand-written examples,
  // cleaner and closer to each other than any writer's, made the map too sure (a new
  // writer's 97 % was right 89 % of the time).
  const foldOf = examples.map((e, i) => (e.group === undefined ? (groups.length >= FOLDS ? -1 : i % FOLDS) : groups.indexOf(e.group) % FOLDS));
  const points: { p: number; right: number }[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = TopicModel.train(examples.filter((_, i) => foldOf[i] !== fold), { ...options, stems: toStems });
    for (const e of examples.filter((_, i) => foldOf[i] === fold)) {
      const top = model.rank(toStems(e.text))[0];
      if (top !== undefined) points.push({ p: top.confidence, right: top.value === e.topic ? 1 : 0 });
    }
  }
  points.sort((a, b) => a.p - b.p);
  // Pool adjacent violators: blocks of (sum of p, sum right, count) with non-decreasing means.
  const blocks: { p: number; right: number; n: number }[] = [];
  for (const pt of points) {
    blocks.push({ p: pt.p, right: pt.right, n: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2]!.right / blocks[blocks.length - 2]!.n >= blocks[blocks.length - 1]!.right / blocks[blocks.length - 1]!.n) {
      const last = blocks.pop()!;
      const prev = blocks[blocks.length - 1]!;
      prev.p += last.p; prev.right += last.right; prev.n += last.n;
    }
  }
  const step = Math.max(1, Math.ceil(blocks.length / 20));
  const kept = blocks.filter((_, i) => i % step === 0 || i === blocks.length - 1);
  return { p: kept.map((b) => round3(b.p / b.n)), right: kept.map((b) => round3(b.right / b.n)) };
}

/** Each text normalized and stemmed once, however many models are trained on it. */
function cachedStems(slow: (text: string) => string[]): (text: string) => string[] {
  const stemsOf = new Map<string, string[]>();
  return (text) => {
    let s = stemsOf.get(text);
    if (s === undefined) { s = slow(text); stemsOf.set(text, s); }
    return s;
  };
}

function defaultStems(text: string): string[] {
  return topicStems(normalize(text));
}
