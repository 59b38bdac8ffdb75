/**
 * Why classifiers/topic.ts has its own naive Bayes instead of natural's BayesClassifier:
 * both trained on the same shipped texts and the same Russian stems, scored on the main
 * evaluation set for accuracy and speed. natural turns every message into a dense
 * vector over the whole vocabulary (textToFeatures scans all features), so its cost per
 * message grows with the vocabulary.
 *
 * Both on the hand-written examples only: the shipped model also learns the labelled
 * comment sets (bench/topic-cv.ts measures it writer by writer). Then a check of how the
 * hand-written examples generalise to each labelled comment set: top-1 beside that of a
 * model trained without the examples that resemble the set (at least two content stems in
 * common and half the shorter text). A training text close to
 * an evaluation text lifts the figure on that set only; the second figure is what texts
 * of the same kind but another wording would get.
 *
 *   node --import tsx bench/topic-models.ts
 */
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { DEFAULT_LEXICON, handWrittenExamples } from '../classifiers/default-model.js';
import { DEFAULT_TOPICS } from '../classifiers/data/topic-training.js';
import { normalize } from '../classifiers/normalize.js';
import { contentStems } from '../classifiers/stem.js';
import { TopicModel, topicStems } from '../classifiers/topic.js';
import { CLEAN } from './data/eval-clean.js';
import { hasLabelled, loadLabelled, type LabelledFile } from './data/labelled.js';

const stems = (text: string): string[] => contentStems(normalize(text));

function measure(name: string, trainMs: number, classify: (s: string[]) => string): void {
  const cases = CLEAN.map(([text, topic]) => ({ s: stems(text), topic }));
  let right = 0;
  for (const c of cases) if (classify(c.s) === c.topic) right++;
  const started = process.hrtime.bigint();
  let done = 0;
  while (process.hrtime.bigint() - started < 1_000_000_000n) { for (const c of cases) classify(c.s); done += cases.length; }
  const sec = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${name.padEnd(34)} top-1 ${((100 * right) / cases.length).toFixed(1)}%   ${Math.round(done / sec)} classifications/s   trained in ${trainMs} ms`);
}

let t = Date.now();
const natural = new BayesClassifier();
for (const e of handWrittenExamples()) natural.addDocument(stems(e.text), e.topic);
natural.train();
measure('natural BayesClassifier (stems)', Date.now() - t, (s) => natural.classify(s));

t = Date.now();
const ours = TopicModel.train(handWrittenExamples(), { topics: DEFAULT_TOPICS, lexicon: DEFAULT_LEXICON });
const oursMs = Date.now() - t;
measure('classifiers/topic.ts (stems+pairs)', oursMs, (s) => ours.rank(s)[0]!.value);

console.log('\ntopic top-1 on the comment sets: hand-written examples / without the examples close to the set');
const topicStemsOf = (text: string): string[] => topicStems(normalize(text));
const files: LabelledFile[] = ['comments-tuning.txt', 'comments-heldout.txt', 'comments-heldout-2.txt', 'comments-heldout-3.txt'];
for (const file of files) {
  if (!hasLabelled(file)) { console.log(`  ${file.padEnd(24)} not in this checkout`); continue; }
  const rows = loadLabelled(file).filter((r) => r.reason === null).map((r) => ({ stems: topicStemsOf(r.text), topic: r.topic! }));
  const sets = rows.map((r) => new Set(r.stems));
  const close = (text: string): boolean => {
    const own = new Set(topicStemsOf(text));
    return sets.some((e) => {
      let common = 0;
      for (const x of own) if (e.has(x)) common++;
      return common >= 2 && common / Math.min(own.size, e.size) >= 0.5;
    });
  };
  const all = handWrittenExamples();
  const apart = all.filter((e) => !close(e.text));
  const without = TopicModel.train(apart, { topics: DEFAULT_TOPICS, lexicon: DEFAULT_LEXICON });
  const share = (model: TopicModel): string => `${((100 * rows.filter((r) => model.rank(r.stems)[0]!.value === r.topic).length) / rows.length).toFixed(1)}%`;
  console.log(`  ${file.padEnd(24)} ${share(ours)} / ${share(without)}  (${all.length - apart.length} of ${all.length} examples left out)`);
}
