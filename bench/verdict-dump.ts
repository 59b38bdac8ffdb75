/**
 * Every verdict of the classifier on every text the project holds, one line per text, for
 * `cmp` before and after a change that must not change what the classifier says (a speed-up,
 * a refactoring, a dependency upgrade). Useful to anyone who touches `classifiers/`: dump on
 * the commit before, dump on yours, compare.
 *
 * The texts: every labelled set in bench/data/ (comments-*.txt and the earlier eval-*.ts
 * sets, the location cases with their gazetteer) and every training corpus in
 * classifiers/data/corpus/. Each line holds the reasons with their evidence, the topic and
 * its confidence (rounded to 1e-9, so that a different but equal order of float additions
 * does not count), the second topic, importance, location, language, competence, and the
 * repeat found against an index of the shipped hand-written examples (the path
 * `prepare` / `complete` takes in the workers).
 *
 *   node --import tsx bench/verdict-dump.ts [--skip=comments-heldout-15.txt,…] > /tmp/verdicts-before.txt
 *
 * --skip leaves out sets that must not be classified yet: a held-out part registered for one
 * run (bench/data/heldout-runs.md) is seen first by that run, not by a speed check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Classifier, type Verdict } from '../classifiers/verdict.js';
import { RepeatIndex } from '../classifiers/repeat.js';
import { handWrittenExamples } from '../classifiers/default-model.js';
import { parseLabelled } from './data/labelled.js';
import { CLEAN } from './data/eval-clean.js';
import { REJECTED } from './data/eval-rejected.js';
import { HOLDOUT_CLEAN, HOLDOUT_REJECTED } from './data/eval-holdout.js';
import { BLIND_CLEAN, BLIND_REJECTED } from './data/eval-blind.js';
import { GAZETTEER, LOCATION_CASES } from './data/eval-location.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const round = (x: number): number => Math.round(x * 1e9) / 1e9;

function describe(v: Verdict): string {
  return JSON.stringify({
    reasons: v.reasons.map((r) => [r.reason, r.evidence]),
    topic: [v.topic.value, round(v.topic.confidence)],
    second: v.topic.second === null ? null : [v.topic.second.value, round(v.topic.second.confidence)],
    importance: v.importance,
    location: v.location,
    language: v.language,
    competence: v.competence,
    repeatOf: v.repeatOf === null ? null : { ...v.repeatOf, similarity: round(v.repeatOf.similarity) },
  });
}

const skipArg = process.argv.find((a) => a.startsWith('--skip='));
const skipped = new Set(skipArg === undefined ? [] : skipArg.slice('--skip='.length).split(',').filter((f) => f !== ''));
const sets: { readonly name: string; readonly texts: readonly string[] }[] = [];
for (const file of fs.readdirSync(path.join(here, 'data')).filter((f) => /^comments-.*\.txt$/.test(f) && !skipped.has(f)).sort()) {
  sets.push({ name: `bench/data/${file}`, texts: parseLabelled(fs.readFileSync(path.join(here, 'data', file), 'utf8'), file).map((r) => r.text) });
}
const corpusDir = path.join(here, '..', 'classifiers', 'data', 'corpus');
for (const file of fs.readdirSync(corpusDir).filter((f) => f.endsWith('.txt')).sort()) {
  sets.push({ name: `classifiers/data/corpus/${file}`, texts: parseLabelled(fs.readFileSync(path.join(corpusDir, file), 'utf8'), file).map((r) => r.text) });
}
sets.push({ name: 'eval-clean', texts: CLEAN.map(([t]) => t) });
sets.push({ name: 'eval-rejected', texts: REJECTED.map(([t]) => t) });
sets.push({ name: 'eval-holdout', texts: [...HOLDOUT_CLEAN.map(([t]) => t), ...HOLDOUT_REJECTED.map(([t]) => t)] });
sets.push({ name: 'eval-blind', texts: [...BLIND_CLEAN.map(([t]) => t), ...BLIND_REJECTED.map(([t]) => t)] });

const classifier = new Classifier();
const index = new RepeatIndex();
handWrittenExamples().forEach((e, i) => index.add({ id: String(i), text: e.text, topic: e.topic, at: i }));
const out: string[] = [];
let count = 0;
for (const set of sets) {
  out.push(`== ${set.name}`);
  set.texts.forEach((text, i) => {
    const alone = classifier.classify(text);
    const prepared = classifier.prepare({ text, at: 1_000_000 + i, author: `vk:${i % 97}` });
    const against = classifier.complete(prepared, index.candidates(prepared.repeatKeys));
    out.push(`${i}\t${describe(alone)}\t${describe(against)}`);
    count++;
  });
}
const located = new Classifier({ gazetteer: GAZETTEER });
out.push('== eval-location (gazetteer)');
LOCATION_CASES.forEach(([text], i) => {
  out.push(`${i}\t${describe(located.classify(text))}`);
  count++;
});
process.stdout.write(out.join('\n') + '\n');
console.error(`${count} texts dumped`);
