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
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AbuseExample } from '../classifiers/abuse-training.js';
import { hasLabelled, loadLabelled, parseLabelled, type LabelledFile } from './data/labelled.js';
import { CLEAN } from './data/eval-clean.js';
import { REJECTED } from './data/eval-rejected.js';
import { HOLDOUT_CLEAN, HOLDOUT_REJECTED } from './data/eval-holdout.js';
import { BLIND_CLEAN, BLIND_REJECTED } from './data/eval-blind.js';

export interface AbuseSet {
  readonly name: string;
  readonly examples: readonly (AbuseExample & { readonly kind: string })[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = path.join(here, '..', 'classifiers', 'data', 'corpus');

const COMMENT_FILES: readonly LabelledFile[] = [
  'comments-tuning.txt', 'comments-heldout.txt', 'comments-heldout-2.txt',
  'comments-heldout-3.txt', 'comments-heldout-4.txt', 'comments-heldout-5.txt',
];

export function abuseSets(): AbuseSet[] {
  const sets: AbuseSet[] = [];
  for (const file of COMMENT_FILES) {
    if (!hasLabelled(file)) continue;
    sets.push({ name: file, examples: loadLabelled(file).map((m) => ({ text: m.text, reason: m.reason, kind: m.kind })) });
  }
  const corpora = fs.existsSync(CORPUS_DIR) ? fs.readdirSync(CORPUS_DIR).filter((f) => /^corpus-.*\.txt$/.test(f)).sort() : [];
  for (const file of corpora) {
    const rows = parseLabelled(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8'), file);
    if (rows.length > 0) sets.push({ name: file, examples: rows.map((m) => ({ text: m.text, reason: m.reason, kind: m.kind })) });
  }
  sets.push({
    name: 'eval-*.ts (earlier sets)',
    examples: [
      ...[...CLEAN, ...HOLDOUT_CLEAN, ...BLIND_CLEAN].map(([text]) => ({ text, reason: null, kind: '' })),
      ...[...REJECTED, ...HOLDOUT_REJECTED, ...BLIND_REJECTED].map(([text, reason, obf]) => ({ text, reason, kind: obf === 'obf' ? 'masked' : '' })),
    ],
  });
  return sets;
}

/** A stable hash of the training texts and labels, in order (FNV-1a, hex). */
export function dataHash(sets: readonly AbuseSet[]): string {
  let h = 0x811c9dc5;
  for (const set of sets) {
    for (const e of set.examples) {
      const s = `${e.reason ?? 'ok'}\u0000${e.text}\u0001`;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
