/**
 * Leave-one-writer-out cross-validation of the topic model: how its top-1 can be expected to
 * do on a writer it has never read. Each labelled writer (a comment set of bench/data, a
 * corpus of classifiers/data/corpus) is scored by a model trained on the shipped hand-written
 * examples and the acceptable lines of every other writer; «shipped only» is the model
 * trained on the hand-written examples alone (what the classifier shipped before the
 * labelled lines were learned). Prints top-1, top-2 and the calibration error (ECE, ten
 * bins) per held-out writer and pooled, and the training time.
 *
 *   nice -n 10 node --import tsx bench/topic-cv.ts [--weight=0.7] [--alpha=1] [--lexicon=5] [--generic=0.25]
 */
import { DEFAULT_LEXICON, handWrittenExamples, LABELLED_LINE_WEIGHT } from '../classifiers/default-model.js';
import { DEFAULT_TOPICS } from '../classifiers/data/topic-training.js';
import { normalize } from '../classifiers/normalize.js';
import { TopicModel, topicStems, type LabelledText } from '../classifiers/topic.js';
import { topicWriters } from './topic-data.js';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const weight = Number(arg('weight') ?? LABELLED_LINE_WEIGHT);
const alpha = arg('alpha') !== undefined ? Number(arg('alpha')) : undefined;
const lexiconWeight = Number(arg('lexicon') ?? 5);

const stemCache = new Map<string, string[]>();
const stems = (text: string): string[] => {
  let s = stemCache.get(text);
  if (s === undefined) { s = topicStems(normalize(text)); stemCache.set(text, s); }
  return s;
};

interface Score { n: number; top1: number; top2: number; ece: number }

function score(model: TopicModel, rows: readonly LabelledText[]): Score & { bins: { n: number; conf: number; right: number }[] } {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
  let top1 = 0; let top2 = 0;
  for (const r of rows) {
    const g = model.classify(normalize(r.text), stems(r.text));
    const right = g.value === r.topic;
    if (right) top1++;
    if (right || g.second?.value === r.topic) top2++;
    const bin = bins[Math.min(9, Math.floor(g.confidence * 10))]!;
    bin.n++; bin.conf += g.confidence; if (right) bin.right++;
  }
  const ece = bins.reduce((s, b) => s + (b.n === 0 ? 0 : Math.abs(b.conf - b.right)), 0) / Math.max(1, rows.length);
  return { n: rows.length, top1, top2, ece, bins };
}

const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1).padStart(5)} %`;
const writers = topicWriters();
const shipped = handWrittenExamples();
const options = { topics: DEFAULT_TOPICS, lexicon: DEFAULT_LEXICON, lexiconWeight, stems, ...(alpha !== undefined ? { alpha } : {}) };

let started = performance.now();
const base = TopicModel.train(shipped, options);
const baseMs = performance.now() - started;
console.log(`${shipped.length} hand-written examples, ${writers.reduce((s, w) => s + w.rows.length, 0)} labelled lines of ${writers.length} writers; weight of a labelled line ${weight}`);
console.log(`shipped model trained in ${baseMs.toFixed(0)} ms\n`);
console.log('held-out writer              n    shipped only: top-1   top-2   ECE   |  + other writers: top-1   top-2   ECE');
const totals = { before: { n: 0, top1: 0, top2: 0, ece: 0 }, after: { n: 0, top1: 0, top2: 0, ece: 0 } };
let foldMs = 0;
for (const held of writers) {
  const before = score(base, held.rows);
  const others = writers.filter((w) => w !== held).flatMap((w) => w.rows.map((r) => ({ ...r, weight, group: w.name })));
  started = performance.now();
  const model = TopicModel.train([...shipped, ...others], options);
  foldMs += performance.now() - started;
  const after = score(model, held.rows);
  for (const [k, s] of [['before', before], ['after', after]] as const) {
    totals[k].n += s.n; totals[k].top1 += s.top1; totals[k].top2 += s.top2; totals[k].ece += s.ece * s.n;
  }
  console.log(`${held.name.padEnd(26)} ${String(held.rows.length).padStart(4)}    ${pct(before.top1, before.n)}  ${pct(before.top2, before.n)}  ${(100 * before.ece).toFixed(1).padStart(4)}  |  ${pct(after.top1, after.n)}  ${pct(after.top2, after.n)}  ${(100 * after.ece).toFixed(1).padStart(4)}`);
}
const t = totals;
console.log(`${'all'.padEnd(26)} ${String(t.before.n).padStart(4)}    ${pct(t.before.top1, t.before.n)}  ${pct(t.before.top2, t.before.n)}  ${(100 * t.before.ece / t.before.n).toFixed(1).padStart(4)}  |  ${pct(t.after.top1, t.after.n)}  ${pct(t.after.top2, t.after.n)}  ${(100 * t.after.ece / t.after.n).toFixed(1).padStart(4)}`);
console.log(`\none fold trained in ${(foldMs / writers.length).toFixed(0)} ms on average (with calibration)`);
