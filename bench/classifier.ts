/**
 * Classifier benchmark on the project's own evaluation sets, which no model is trained
 * on: the main set (bench/data/eval-clean.ts, eval-rejected.ts; the rules were tuned
 * while it was read) and the held-out set (bench/data/eval-holdout.ts; written after the
 * tuning; its first measurement, before any change it prompted, is in the git log) and
 * the blind set (bench/data/eval-blind.ts; written after all tuning; its first figures,
 * before the one change its misses prompted, are in the git log). Prints per-reason
 * precision and recall, the clean false-rejection rate, topic top-1 accuracy, importance
 * recall, and messages per second on one core (Node classifies on one thread).
 *
 *   node --import tsx bench/classifier.ts [--errors]
 */
import { Classifier } from '../classifiers/verdict.js';
import { REASON_CODES, type ReasonCode } from '../classifiers/types.js';
import { CLEAN, type CleanCase } from './data/eval-clean.js';
import { REJECTED, type RejectedCase } from './data/eval-rejected.js';
import { HOLDOUT_CLEAN, HOLDOUT_REJECTED } from './data/eval-holdout.js';
import { BLIND_CLEAN, BLIND_REJECTED } from './data/eval-blind.js';
import { GAZETTEER, LOCATION_CASES } from './data/eval-location.js';

const showErrors = process.argv.includes('--errors');
const classifier = new Classifier();

interface Row { text: string; reason: ReasonCode | null; obfuscated: boolean; topic?: string; high?: boolean }

function rowsOf(clean: readonly CleanCase[], rejected: readonly RejectedCase[]): Row[] {
  return [
    ...clean.map(([text, topic, imp]) => ({ text, reason: null, obfuscated: false, topic, high: imp === 'h' })),
    ...rejected.map(([text, reason, obf]) => ({ text, reason, obfuscated: obf === 'obf' })),
  ];
}

const pct = (a: number, b: number): string => (b === 0 ? '   n/a' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

function evaluate(title: string, rows: readonly Row[]): void {
  const errors: string[] = [];
  const verdicts = rows.map((r) => classifier.classify(r.text));
  const clean = rows.filter((r) => r.reason === null).length;
  console.log(`\n== ${title}: ${rows.length} messages (${clean} to process, ${rows.length - clean} to reject)\n`);
  console.log('reason          labelled  precision  recall   (recall on obfuscated)');
  for (const r of REASON_CODES) {
    let labelled = 0; let fired = 0; let predicted = 0; let correct = 0; let obf = 0; let obfFired = 0;
    rows.forEach((row, i) => {
      const v = verdicts[i]!;
      const any = v.reasons.some((h) => h.reason === r);
      if (row.reason === r) {
        labelled++;
        if (any) fired++; else errors.push(`missed ${r}${v.rejected ? ` (rejected as ${v.reasonCode})` : ''}: ${row.text}`);
        if (row.obfuscated) { obf++; if (any) obfFired++; }
      }
      if (v.reasonCode === r) {
        predicted++;
        if (row.reason === r) correct++; else errors.push(`${r} but labelled ${row.reason ?? 'clean'}: ${row.text} [${v.evidence.join(', ')}]`);
      }
    });
    console.log(`${r.padEnd(15)} ${String(labelled).padStart(8)}  ${pct(correct, predicted).padStart(9)}  ${pct(fired, labelled)}   ${obf > 0 ? `${pct(obfFired, obf)} of ${obf}` : ''}`);
  }

  let falseRejections = 0; let topicRight = 0; let high = 0; let highFound = 0; let normal = 0; let falseHigh = 0; let caught = 0;
  rows.forEach((row, i) => {
    const v = verdicts[i]!;
    if (row.reason !== null) { if (v.rejected) caught++; return; }
    if (v.rejected) falseRejections++;
    if (v.topic.value === row.topic) topicRight++; else errors.push(`topic ${v.topic.value} (${v.topic.confidence}) instead of ${row.topic}: ${row.text}`);
    if (row.high) { high++; if (v.importance.value === 'high') highFound++; else errors.push(`importance missed: ${row.text}`); }
    else { normal++; if (v.importance.value === 'high') { falseHigh++; errors.push(`importance high (${v.importance.reason}) but normal: ${row.text}`); } }
  });
  const toReject = rows.length - clean;
  console.log('');
  console.log(`rejected when it should be:         ${pct(caught, toReject)}  (${caught}/${toReject})`);
  console.log(`clean messages falsely rejected:    ${pct(falseRejections, clean)}  (${falseRejections}/${clean})   target ≤ 2%`);
  console.log(`topic top-1 accuracy:               ${pct(topicRight, clean)}  (${topicRight}/${clean})   target ≥ 80%`);
  console.log(`importance recall (high):           ${pct(highFound, high)}  (${highFound}/${high})`);
  console.log(`importance false high rate:         ${pct(falseHigh, normal)}  (${falseHigh}/${normal})`);
  if (showErrors && errors.length > 0) {
    console.log('\nerrors:');
    for (const e of [...new Set(errors)]) console.log(`  ${e}`);
  }
}

const main = rowsOf(CLEAN, REJECTED);
evaluate('main evaluation set', main);
evaluate('held-out set (its first, untuned figures are in the git log)', rowsOf(HOLDOUT_CLEAN, HOLDOUT_REJECTED));
evaluate('blind set (its first, blind figures are in the git log)', rowsOf(BLIND_CLEAN, BLIND_REJECTED));

{
  const located = new Classifier({ gazetteer: GAZETTEER });
  let right = 0;
  const misses: string[] = [];
  for (const [text, place] of LOCATION_CASES) {
    const found = located.classify(text).location?.value ?? null;
    if (found === place) right++; else misses.push(`location ${found ?? 'none'} instead of ${place ?? 'none'}: ${text}`);
  }
  console.log(`\n== location on bench/data/eval-location.ts\n\nlocation accuracy (incl. «no place»):  ${pct(right, LOCATION_CASES.length)}  (${right}/${LOCATION_CASES.length})`);
  if (showErrors) for (const m of misses) console.log(`  ${m}`);
}

// Throughput: the whole pipeline (normalization, every rule, language, topic,
// importance, competence) over the main set's texts, after a warm-up pass.
const texts = main.map((r) => r.text);
for (const t of texts) classifier.classify(t);
const started = process.hrtime.bigint();
let done = 0;
while (process.hrtime.bigint() - started < 2_000_000_000n) {
  for (const t of texts) classifier.classify(t);
  done += texts.length;
}
const elapsedSec = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`\nthroughput, one core:               ${Math.round(done / elapsedSec)} messages/s   target ≥ 5000`);
