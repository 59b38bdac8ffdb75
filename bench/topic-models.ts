/**
 * Why classifiers/topic.ts has its own naive Bayes instead of natural's BayesClassifier:
 * both trained on the same shipped texts and the same Russian stems, scored on the main
 * evaluation set for accuracy and speed. natural turns every message into a dense
 * vector over the whole vocabulary (textToFeatures scans all features), so its cost per
 * message grows with the vocabulary.
 *
 *   node --import tsx bench/topic-models.ts
 */
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { defaultExamples, defaultTopicModel } from '../classifiers/default-model.js';
import { normalize } from '../classifiers/normalize.js';
import { contentStems } from '../classifiers/stem.js';
import { CLEAN } from './data/eval-clean.js';

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
for (const e of defaultExamples()) natural.addDocument(stems(e.text), e.topic);
natural.train();
measure('natural BayesClassifier (stems)', Date.now() - t, (s) => natural.classify(s));

t = Date.now();
const ours = defaultTopicModel();
const oursMs = Date.now() - t;
measure('classifiers/topic.ts (stems+pairs)', oursMs, (s) => ours.rank(s)[0]!.value);
