/**
 * Every labelled text the abuse model learns from, set by set (a set is one writer's or
 * one occasion's work, the unit of leave-one-set-out cross-validation):
 *
 * - the six comment sets of issue 13 (bench/data/comments-*.txt);
 * - the training corpora written for the model (classifiers/data/corpus/corpus-*.txt,
 *   same format), when they are in the checkout;
 * - the earlier sets (bench/data/eval-clean, eval-rejected, eval-holdout, eval-blind) as one
 *   set: their labels are the same reason codes.
 *
 * Read by the training command and the benchmarks; the classifier itself does no I/O.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ABUSE_CLASSES, abuseDataHash, buildAbuseModel, type AbuseExample } from '../classifiers/abuse-training.js';
import { FEATURE_BITS } from '../classifiers/abuse-features.js';
import { packWeights, type PackedAbuseModel } from '../classifiers/abuse-model.js';
import { abuseTopicExamples } from '../classifiers/abuse-model-data.js';
import { normalize } from '../classifiers/normalize.js';
import { Classifier } from '../classifiers/verdict.js';
import { hasLabelled, loadLabelled, parseLabelled, type LabelledFile } from './data/labelled.js';
import { CLEAN } from './data/eval-clean.js';
import { REJECTED } from './data/eval-rejected.js';
import { HOLDOUT_CLEAN, HOLDOUT_REJECTED } from './data/eval-holdout.js';
import { BLIND_CLEAN, BLIND_REJECTED } from './data/eval-blind.js';

export interface AbuseSet {
  readonly name: string;
  readonly examples: readonly (AbuseExample & { readonly kind: string; readonly line: number })[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = path.join(here, '..', 'classifiers', 'data', 'corpus');

/** The comment sets models learn from; a blind set joins only after its first run. */
export const COMMENT_FILES: readonly LabelledFile[] = [
  'comments-tuning.txt', 'comments-heldout.txt', 'comments-heldout-2.txt',
  'comments-heldout-3.txt', 'comments-heldout-4.txt', 'comments-heldout-5.txt', 'comments-heldout-6.txt', 'comments-heldout-7.txt',
  'comments-heldout-8.txt', 'comments-heldout-9.txt', 'comments-heldout-10.txt', 'comments-heldout-11.txt', 'comments-heldout-12.txt',
  'comments-heldout-13.txt', 'comments-heldout-14.txt', 'comments-heldout-15.txt', 'comments-heldout-16.txt',
];

export function abuseSets(): AbuseSet[] {
  const sets: AbuseSet[] = [];
  for (const file of COMMENT_FILES) {
    if (!hasLabelled(file)) continue;
    sets.push({ name: file, examples: loadLabelled(file).map((m) => ({ text: m.text, reason: m.reason, kind: m.kind, line: m.line })) });
  }
  const corpora = fs.existsSync(CORPUS_DIR) ? fs.readdirSync(CORPUS_DIR).filter((f) => /^corpus-.*\.txt$/.test(f)).sort() : [];
  for (const file of corpora) {
    const rows = parseLabelled(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8'), file);
    if (rows.length > 0) sets.push({ name: file, examples: rows.map((m) => ({ text: m.text, reason: m.reason, kind: m.kind, line: m.line })) });
  }
  sets.push({
    name: 'eval-*.ts (earlier sets)',
    examples: [
      ...[...CLEAN, ...HOLDOUT_CLEAN, ...BLIND_CLEAN].map(([text], line) => ({ text, reason: null, kind: '', line })),
      ...[...REJECTED, ...HOLDOUT_REJECTED, ...BLIND_REJECTED].map(([text, reason, obf], line) => ({ text, reason, kind: obf === 'obf' ? 'masked' : '', line })),
    ],
  });
  return sets;
}

/**
 * The rules' verdicts on each blind comment set as they were on the commit of its first run,
 * before its errors were read (bench/data/abuse-rules-before-reading.json): the lines they
 * rejected, by set name. A set whose file changed since is left out.
 */
export function rulesBeforeReading(): Map<string, { readonly commit: string; readonly rejected: ReadonlySet<number> }> {
  const file = path.join(here, 'data', 'abuse-rules-before-reading.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { sets: Record<string, { commit: string; sha256: string; rejectedLines: number[] }> };
  const out = new Map<string, { commit: string; rejected: ReadonlySet<number> }>();
  for (const [name, set] of Object.entries(data.sets)) {
    const full = path.join(here, 'data', name);
    if (!fs.existsSync(full)) continue;
    if (crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex') !== set.sha256) continue;
    out.set(name, { commit: set.commit, rejected: new Set(set.rejectedLines) });
  }
  return out;
}

/**
 * The shipped abuse model as `npm run train:abuse` builds it from the labelled sets in this
 * checkout and the shipped topic examples, in the packed form of data/abuse-weights.ts.
 */
export function buildShippedAbuseModel(): PackedAbuseModel {
  const rulesOnly = new Classifier({ abuseModel: null });
  const sets = abuseSets();
  const built = buildAbuseModel(sets, abuseTopicExamples(), (text) => rulesOnly.rules(normalize(text)).length > 0);
  return {
    version: `abuse-${built.dataHash}`,
    dataHash: built.dataHash,
    examples: built.examples,
    featureBits: FEATURE_BITS,
    classes: [...ABUSE_CLASSES],
    thresholds: { reject: Number(built.thresholds.reject.toFixed(6)), veto: Number(built.thresholds.veto.toFixed(6)) },
    ...packWeights(built.weights),
  };
}

/** The hash of the data the shipped model is trained on, as in data/abuse-weights.ts. */
export function shippedAbuseDataHash(): string {
  return abuseDataHash([...abuseSets(), { name: 'always', examples: abuseTopicExamples() }]);
}
