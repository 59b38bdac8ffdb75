/**
 * Classifier benchmark on the project's own evaluation set (bench/data/eval-*.ts),
 * which no model is trained on. Prints per-reason precision and recall, the clean
 * false-rejection rate, topic top-1 accuracy, importance recall and messages per second
 * on one core (Node runs the classification on one thread).
 *
 *   node --import tsx bench/classifier.ts [--errors]
 */
import { Classifier } from '../classifiers/verdict.js';
import { REASON_CODES, type ReasonCode } from '../classifiers/types.js';
import { CLEAN } from './data/eval-clean.js';
import { REJECTED } from './data/eval-rejected.js';

const showErrors = process.argv.includes('--errors');
const classifier = new Classifier();

interface Row { text: string; reason: ReasonCode | null; obfuscated: boolean; topic?: string; high?: boolean }
const rows: Row[] = [
  ...CLEAN.map(([text, topic, imp]) => ({ text, reason: null, obfuscated: false, topic, high: imp === 'h' })),
  ...REJECTED.map(([text, reason, obf]) => ({ text, reason, obfuscated: obf === 'obf' })),
];

const pct = (a: number, b: number): string => (b === 0 ? '   n/a' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);
const errors: string[] = [];

console.log(`evaluation set: ${rows.length} messages (${CLEAN.length} to process, ${REJECTED.length} to reject)\n`);
console.log('reason          labelled  precision  recall   (recall on obfuscated)');
for (const r of REASON_CODES) {
  let labelled = 0; let fired = 0; let predicted = 0; let correct = 0; let obf = 0; let obfFired = 0;
  for (const row of rows) {
    const v = classifier.classify(row.text);
    const main = v.reasonCode;
    const any = v.reasons.some((h) => h.reason === r);
    if (row.reason === r) {
      labelled++;
      if (any) fired++; else errors.push(`missed ${r}: ${row.text}`);
      if (row.obfuscated) { obf++; if (any) obfFired++; }
    }
    if (main === r) {
      predicted++;
      if (row.reason === r) correct++; else errors.push(`${r} but labelled ${row.reason ?? 'clean'}: ${row.text} [${v.evidence.join(', ')}]`);
    }
  }
  console.log(`${r.padEnd(15)} ${String(labelled).padStart(8)}  ${pct(correct, predicted).padStart(9)}  ${pct(fired, labelled)}   ${obf > 0 ? `${pct(obfFired, obf)} of ${obf}` : ''}`);
}

let falseRejections = 0; let topicRight = 0; let high = 0; let highFound = 0; let normal = 0; let falseHigh = 0; let rejectedCaught = 0;
for (const row of rows) {
  const v = classifier.classify(row.text);
  if (row.reason !== null) { if (v.rejected) rejectedCaught++; continue; }
  if (v.rejected) falseRejections++;
  if (v.topic.value === row.topic) topicRight++; else errors.push(`topic ${v.topic.value} (${v.topic.confidence}) instead of ${row.topic}: ${row.text}`);
  if (row.high) { high++; if (v.importance.value === 'high') highFound++; else errors.push(`importance missed: ${row.text}`); }
  else { normal++; if (v.importance.value === 'high') { falseHigh++; errors.push(`importance high (${v.importance.reason}) but normal: ${row.text}`); } }
}
console.log('');
console.log(`rejected when it should be:         ${pct(rejectedCaught, REJECTED.length)}  (${rejectedCaught}/${REJECTED.length})`);
console.log(`clean messages falsely rejected:    ${pct(falseRejections, CLEAN.length)}  (${falseRejections}/${CLEAN.length})   target ≤ 2%`);
console.log(`topic top-1 accuracy:               ${pct(topicRight, CLEAN.length)}  (${topicRight}/${CLEAN.length})   target ≥ 80%`);
console.log(`importance recall (high):           ${pct(highFound, high)}  (${highFound}/${high})`);
console.log(`importance false high rate:         ${pct(falseHigh, normal)}  (${falseHigh}/${normal})`);

// Throughput: the whole pipeline (normalization, every rule, language, topic,
// importance, competence) over the evaluation texts, after a warm-up pass.
const texts = rows.map((r) => r.text);
for (const t of texts) classifier.classify(t);
const started = process.hrtime.bigint();
let done = 0;
while (process.hrtime.bigint() - started < 2_000_000_000n) {
  for (const t of texts) classifier.classify(t);
  done += texts.length;
}
const elapsedSec = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`throughput, one core:               ${Math.round(done / elapsedSec)} messages/s   target ≥ 5000`);

if (showErrors) {
  console.log('\nerrors:');
  for (const e of [...new Set(errors)]) console.log(`  ${e}`);
}
