/**
 * Leave-one-set-out cross-validation of the learned abuse model: how it can be expected to
 * do on a writer it has never read. For each labelled set k (a comment set, a corpus, the
 * earlier sets), the model is trained on every other set and scores k; the rejection
 * threshold for fold k is chosen on the training sets only, by an inner leave-one-set-out
 * over them (never on k). Printed per held-out set and in total: abuse recall and false
 * rejections of the rules alone, the model alone and rules + model, recall per kind, the
 * threshold, and timing.
 *
 * The rules were written while reading every one of these sets, so their figures (and
 * those of rules + model) are figures on tuning data; the model's are honest.
 *
 *   nice -n 10 node --import tsx bench/abuse-model-cv.ts [--errors] [--threshold=0.6] [--target=0.005] [--epochs=12] [--sets=corpus-c.txt,corpus-d.txt]
 */
import { abuseSets, rulesBeforeReading, type AbuseSet } from './abuse-data.js';
import { Classifier } from '../classifiers/verdict.js';
import { normalize, type Normalized } from '../classifiers/normalize.js';
import { AbuseModel } from '../classifiers/abuse-model.js';
import { sparseExample, trainAbuseWeights, scoreSparse, type SparseExample, type AbuseTrainingOptions } from '../classifiers/abuse-training.js';
import { abuseTopicExamples } from '../classifiers/abuse-model-data.js';
import { chooseThresholds, ABUSE_FALSE_REJECTION_TARGET, type AbuseThresholds } from '../classifiers/abuse-threshold.js';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const fixedThreshold = arg('threshold') !== undefined ? Number(arg('threshold')) : null;
const fixedVeto = arg('veto') !== undefined ? Number(arg('veto')) : 0;
const target = arg('target') !== undefined ? Number(arg('target')) : ABUSE_FALSE_REJECTION_TARGET;
const training: AbuseTrainingOptions = {
  ...(arg('epochs') !== undefined ? { epochs: Number(arg('epochs')) } : {}),
  ...(arg('lr') !== undefined ? { learningRate: Number(arg('lr')) } : {}),
  ...(arg('l2') !== undefined ? { l2: Number(arg('l2')) } : {}),
  ...(arg('dropout') !== undefined ? { dropout: Number(arg('dropout')) } : {}),
};
const pooled = process.argv.includes('--pooled');
const showErrors = process.argv.includes('--errors');

interface Row {
  readonly line: number;
  readonly text: string;
  readonly reason: string | null;
  readonly kind: string;
  readonly rules: boolean;
  /** The rules of the commit of the set's first run, before its errors were read; null when unknown. */
  readonly rulesBefore: boolean | null;
  readonly sparse: SparseExample;
  readonly normalized: Normalized;
}

const classifier = new Classifier({ abuseModel: null });
const before = rulesBeforeReading();
const sets: { name: string; rows: Row[]; beforeCommit: string | null }[] = abuseSets().map((s: AbuseSet) => {
  const old = before.get(s.name) ?? null;
  return {
    name: s.name,
    beforeCommit: old?.commit ?? null,
    rows: s.examples.map((e) => ({
      line: e.line, text: e.text, reason: e.reason, kind: e.kind,
      rules: classifier.rules(normalize(e.text)).length > 0,
      rulesBefore: old === null ? null : old.rejected.has(e.line),
      sparse: sparseExample(e),
      normalized: normalize(e.text),
    })),
  };
});

// Acceptable texts always in training: the shipped topic examples (never a held-out set).
const extra: Row[] = abuseTopicExamples().map((e) => ({ line: 0, text: e.text, reason: null, kind: '', rules: false, rulesBefore: null, sparse: sparseExample(e), normalized: normalize(e.text) }));
let trainings = 0; let trainingMs = 0;
function train(rows: readonly Row[]): ReturnType<typeof trainAbuseWeights> {
  const started = performance.now();
  const w = trainAbuseWeights([...rows, ...extra].map((r) => r.sparse), training);
  trainingMs += performance.now() - started; trainings++;
  return w;
}

/** Out-of-fold probabilities over the given sets, each scored by a model trained on the others. */
function outOfFold(group: readonly { name: string; rows: Row[] }[]): { name: string; rows: Row[]; p: number[] }[] {
  return group.map((held, j) => {
    const w = train(group.filter((_, i) => i !== j).flatMap((s) => s.rows));
    return { name: held.name, rows: held.rows, p: held.rows.map((r) => scoreSparse(w, r.sparse).reject) };
  });
}

const pct = (a: number, b: number): string => (b === 0 ? '  n/a' : `${((100 * a) / b).toFixed(1)} %`);
type Count = { n: number; hit: number };
const count = (): Count => ({ n: 0, hit: 0 });

const KEYS = ['rules', 'model', 'both', 'before', 'beforeBoth'] as const;
type Key = typeof KEYS[number];
const counts = (): Record<Key, Count[]> => ({ rules: [count(), count()], model: [count(), count()], both: [count(), count()], before: [count(), count()], beforeBoth: [count(), count()] });
const totals = counts();
const kinds = new Map<string, Record<Key, Count>>();
const lines: string[] = [];
const errors: string[] = [];
const oracle = count();
const vetoProbe: { abuse: boolean; p: number; text: string }[] = [];
const cell = (c: Count[]): string => (c[0]!.n + c[1]!.n === 0 ? '' : `${pct(c[0]!.hit, c[0]!.n)} / ${pct(c[1]!.hit, c[1]!.n)} (${c[1]!.hit})`);
let scored = 0; let scoringMs = 0;

console.log(`leave-one-set-out over ${sets.length} sets (${sets.reduce((s, x) => s + x.rows.length, 0)} texts); false-rejection target for the threshold ${pct(target * 1000, 1000)}\n`);
// --sets=a,b: score only these held-out sets (the folds are independent; two processes can share the work).
const onlySets = arg('sets')?.split(',') ?? null;
for (const [k, held] of sets.entries()) {
  if (onlySets !== null && !onlySets.includes(held.name)) continue;
  const others = sets.filter((_, i) => i !== k);
  let thresholds: AbuseThresholds;
  if (fixedThreshold !== null) thresholds = { reject: fixedThreshold, veto: fixedVeto };
  else {
    const oof = outOfFold(others);
    thresholds = chooseThresholds(oof.flatMap((o) => o.rows.map((r, i) => ({ acceptable: r.reason === null, rules: r.rules, p: o.p[i]!, ...(pooled ? {} : { set: o.name }) }))), target);
  }
  const threshold = thresholds.reject;
  const w = train(others.flatMap((s) => s.rows));
  // The fold's model inside the classifier: its rejections with the rules' exceptions applied.
  const judge = new Classifier({ abuseModel: AbuseModel.fromTrained(w, thresholds) });
  const started = performance.now();
  const p = held.rows.map((r) => judge.abuseScore(r.normalized)!);
  const modelRejects = held.rows.map((r, i) => judge.modelRejection(r.normalized, p[i]!) !== null);
  scoringMs += performance.now() - started; scored += held.rows.length;
  {
    // Exploration only: the model's recall at the threshold that would give ≤ target false
    // rejections on this very set (an oracle, so never a reported figure).
    const ok = held.rows.map((r, i) => ({ r, p: p[i]!.reject })).filter((x) => x.r.reason === null).map((x) => x.p).sort((a, b) => b - a);
    const t = ok[Math.floor(target * ok.length)] ?? 0.5;
    const bad = held.rows.filter((r) => r.reason !== null);
    oracle.hit += held.rows.filter((r, i) => r.reason !== null && p[i]!.reject > t).length; oracle.n += bad.length;
  }
  // Blind rules (before reading; corpora: today's rules, never read while writing them).
  held.rows.forEach((r, i) => {
    const blind = r.rulesBefore ?? (held.name.startsWith('corpus-') ? r.rules : null);
    if (blind === true) vetoProbe.push({ abuse: r.reason !== null, p: p[i]!.reject, text: r.text });
  });
  const per = counts();
  held.rows.forEach((r, i) => {
    const model = modelRejects[i]!;
    const verdicts: Record<Key, boolean | null> = {
      rules: r.rules, model, both: (r.rules && p[i]!.reject >= thresholds.veto) || model,
      before: r.rulesBefore, beforeBoth: r.rulesBefore === null ? null : (r.rulesBefore && p[i]!.reject >= thresholds.veto) || model,
    };
    const side = r.reason === null ? 1 : 0;
    for (const key of KEYS) {
      if (verdicts[key] === null) continue;
      per[key][side]!.n++; totals[key][side]!.n++;
      if (verdicts[key]) { per[key][side]!.hit++; totals[key][side]!.hit++; }
    }
    if (r.reason !== null) {
      const kind = `${r.reason}${r.kind ? `:${r.kind}` : ''}`;
      const c = kinds.get(kind) ?? { rules: count(), model: count(), both: count(), before: count(), beforeBoth: count() };
      for (const key of KEYS) { if (verdicts[key] === null) continue; c[key].n++; if (verdicts[key]) c[key].hit++; }
      kinds.set(kind, c);
      if (!verdicts.both) errors.push(`${held.name}: missed (${kind}, p=${p[i]!.reject.toFixed(2)}): ${r.text}`);
    } else if (verdicts.both) errors.push(`${held.name}: falsely rejected (${r.rules ? 'rules' : `model ${p[i]!.reason} p=${p[i]!.reject.toFixed(2)}`}, ${r.kind || 'ok'}): ${r.text}`);
  });
  lines.push(`| ${held.name} | ${held.rows.length} | ${threshold.toFixed(3)}, ${thresholds.veto.toFixed(4)} | ${cell(per.rules)} | ${cell(per.model)} | ${cell(per.both)} | ${held.beforeCommit === null ? '' : `${cell(per.before)} | ${cell(per.beforeBoth)} (${held.beforeCommit})`} |`);
  console.log(lines[lines.length - 1]);
}
console.log('\n| held-out set | texts | reject, veto | rules today: recall / false rej. (n) | model | rules today + model | rules before reading the set | rules before + model |');
console.log('|---|---|---|---|---|---|---|---|');
for (const l of lines) console.log(l);
console.log(`| all | ${sets.reduce((s, x) => s + x.rows.length, 0)} | | ${cell(totals.rules)} | ${cell(totals.model)} | ${cell(totals.both)} | ${cell(totals.before)} | ${cell(totals.beforeBoth)} |`);
console.log('\nrecall per kind: rules today / model / rules today + model (n); on the blind sets: rules before reading / + model (n)');
for (const [kind, c] of [...kinds].sort()) console.log(`  ${kind.padEnd(24)} ${pct(c.rules.hit, c.rules.n).padStart(7)} ${pct(c.model.hit, c.model.n).padStart(7)} ${pct(c.both.hit, c.both.n).padStart(7)} (${c.both.n})   ${pct(c.before.hit, c.before.n).padStart(7)} ${pct(c.beforeBoth.hit, c.beforeBoth.n).padStart(7)} (${c.before.n})`);
console.log(`\ntiming: ${trainings} trainings, ${(trainingMs / trainings / 1000).toFixed(2)} s each on average; the model's verdict (score, and the rules' exceptions where it rejects) ${(1000 * scoringMs / scored).toFixed(1)} µs per text`);
console.log(`model recall at each set's own ${pct(target * 1000, 1000)} threshold (oracle, for comparing shapes only): ${pct(oracle.hit, oracle.n)}`);
for (const v of [0.005, 0.01, 0.02, 0.05, 0.1]) console.log(`blind rules' rejections the model gives p < ${v}: abuse ${vetoProbe.filter((x) => x.abuse && x.p < v).length}/${vetoProbe.filter((x) => x.abuse).length}, acceptable ${vetoProbe.filter((x) => !x.abuse && x.p < v).length}/${vetoProbe.filter((x) => !x.abuse).length}`);
if (process.argv.includes('--show-veto')) for (const x of vetoProbe) if (x.p < 0.05) console.log(`  ${x.abuse ? 'abuse' : 'ok'} ${x.p.toFixed(3)} ${x.text}`);
if (showErrors) for (const e of errors) console.log(e);
