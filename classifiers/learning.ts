/**
 * Learning from the curator. Every correction (topic, location, importance, reject,
 * unreject) is stored with who and when (store/classifier-corrections.ts); this module
 * turns a tenant's corrections into a new model version, pure and deterministic:
 *
 * - topic corrections retrain the topic model on the shipped examples plus the
 *   corrections, which count more than the examples;
 * - a fixed share of corrections, chosen by a hash of the text so that the choice does
 *   not change between runs, is held back; the candidate is trained without them and
 *   scored on them against the current model, and the current model is kept when the
 *   candidate scores worse;
 * - unrejections of obscene verdicts give the tenant's exclusion words; rejections,
 *   importance and location set by the curator are remembered for their texts, and
 *   near copies of those texts get the same (curator-memory.ts);
 * - unrejections are remembered as texts: near copies are not rejected again, and the
 *   abuse model learns them as acceptable, as it learns the curator's rejections
 *   (abuse-model.ts, `fineTuned`);
 * - unlinked repeats are remembered as pairs: neither the pair nor near copies of either
 *   side are linked again (repeat.ts).
 */
import { DEFAULT_LEXICON, defaultExamples, examplesForTopics } from './default-model.js';
import { normalize } from './normalize.js';
import { TopicModel, type LabelledText, type TopicModelData } from './topic.js';
import { REASON_CODES, type ReasonCode } from './types.js';
import type { ImportanceValue } from './importance.js';
import { fnv1a, FNV_OFFSET, FNV_PRIME } from './hash.js';

export type CorrectionKind = 'topic' | 'location' | 'importance' | 'reject' | 'unreject' | 'unlink-repeat';

export interface Correction {
  /** The message's text. */
  readonly text: string;
  readonly kind: CorrectionKind;
  /**
   * Topic name, location name, 'high'/'normal', a reason code for reject; null for
   * unreject; for unlink-repeat the number of the incident the message was wrongly linked to.
   */
  readonly value: string | null;
  /** What the classifier had said (for unreject: the reason it gave; for unlink-repeat: 'text' or 'place'). */
  readonly previous?: string | null;
  /**
   * For unreject: the words the classifier took as evidence. For unlink-repeat: the text of
   * the incident it was linked to, when at hand (near copies of it are not linked either).
   */
  readonly evidence?: readonly string[];
  readonly by: string;
  readonly at: Date;
}

export interface ModelVersion {
  readonly version: string;
  readonly topicModel: TopicModelData;
  readonly obsceneExclusions: readonly string[];
  readonly curatorRejections: readonly { readonly text: string; readonly reason: ReasonCode }[];
  /** Texts the curator unrejected (absent in versions stored before they existed). */
  readonly curatorUnrejections?: readonly string[];
  readonly curatorImportance: readonly { readonly text: string; readonly value: ImportanceValue }[];
  readonly curatorLocations: readonly { readonly text: string; readonly value: string }[];
  /** Repeats the curator unlinked (absent in versions stored before they existed). */
  readonly repeatUnlinks?: readonly RepeatUnlinkText[];
  readonly trainedAt: Date;
  /** Topic accuracy on the held-back corrections, when there were any. */
  readonly heldBackAccuracy: number | null;
  readonly corrections: number;
}

/** A repeat the curator unlinked: the message's text, the incident, that incident's text. */
export interface RepeatUnlinkText {
  readonly text: string;
  readonly incidentId: string;
  readonly otherText?: string;
}

/**
 * The unlinked repeats among corrections, for the classifier at once (between retrains
 * too): the latest unlink of each pair. A later correction of another kind does not undo
 * it; linking again is the curator's own act, not the classifier's.
 */
export function repeatUnlinks(corrections: readonly Correction[]): RepeatUnlinkText[] {
  const byPair = new Map<string, RepeatUnlinkText>();
  for (const c of corrections) {
    if (c.kind !== 'unlink-repeat' || c.value === null) continue;
    const other = c.evidence?.[0];
    byPair.set(`${c.value}\u0000${normalize(c.text).text}`, { text: c.text, incidentId: c.value, ...(other !== undefined && other !== '' ? { otherText: other } : {}) });
  }
  return [...byPair.values()];
}

export interface RetrainResult {
  /** The model to use from now on: the candidate, or the current one when it scored better. */
  readonly model: ModelVersion;
  readonly accepted: boolean;
  readonly candidateAccuracy: number | null;
  readonly currentAccuracy: number | null;
  readonly heldBack: number;
}

export interface RetrainOptions {
  readonly corrections: readonly Correction[];
  readonly current?: ModelVersion | null;
  /** Examples the tenant's model starts from; the shipped ones (for `topics`) by default. */
  readonly base?: readonly LabelledText[];
  /** The tenant's topic list; empty or absent for the shipped topics. */
  readonly topics?: readonly string[];
  /** Words that mark each topic; the shipped ones by default. */
  readonly lexicon?: Readonly<Record<string, string>>;
  readonly now: Date;
  /** How much one curator correction weighs against one shipped example. */
  readonly correctionWeight?: number;
  /** Share of corrections held back for scoring, 0..1. */
  readonly heldBackShare?: number;
}


/** Whether a correction's text belongs to the held-back part (stable across runs). */
export function isHeldBack(text: string, share = 0.2): boolean {
  return fnv1a(normalize(text).text) % 1000 < share * 1000;
}

/**
 * The texts the curator unrejected, for the classifier at once (between retrains too): near
 * copies are not rejected again and the abuse model learns them as acceptable. A later
 * rejection of the same text undoes the unrejection.
 */
export function curatorUnrejections(corrections: readonly Correction[]): string[] {
  const byText = new Map<string, string | null>();
  for (const c of [...corrections].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (c.kind === 'unreject') byText.set(normalize(c.text).text, c.text);
    if (c.kind === 'reject') byText.set(normalize(c.text).text, null);
  }
  return [...byText.values()].filter((t): t is string => t !== null);
}

/** The latest correction of each kind per text wins: a curator may change their mind. */
export function latestCorrections(corrections: readonly Correction[]): Correction[] {
  const byKey = new Map<string, Correction>();
  for (const c of [...corrections].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    byKey.set(`${c.kind}\u0000${normalize(c.text).text}`, c);
  }
  return [...byKey.values()];
}

function accuracy(model: TopicModel, cases: readonly Correction[]): number | null {
  if (cases.length === 0) return null;
  let right = 0;
  for (const c of cases) if (model.classify(normalize(c.text)).value === c.value) right++;
  return right / cases.length;
}

function topicExamples(corrections: readonly Correction[], weight: number): LabelledText[] {
  return corrections.filter((c) => c.kind === 'topic' && c.value !== null).map((c) => ({ text: c.text, topic: c.value!, weight }));
}

function versionOf(base: readonly LabelledText[], corrections: readonly Correction[]): string {
  let h = FNV_OFFSET;
  for (const e of base) h = Math.imul(h ^ fnv1a(`${e.topic}\u0000${e.text}`), FNV_PRIME);
  for (const c of corrections) h = Math.imul(h ^ fnv1a(`${c.kind}\u0000${c.value ?? ''}\u0000${c.text}`), FNV_PRIME);
  return `tenant-${(h >>> 0).toString(16).padStart(8, '0')}-${corrections.length}`;
}

export function retrain(options: RetrainOptions): RetrainResult {
  const base = options.base ?? (options.topics && options.topics.length > 0 ? examplesForTopics(options.topics) : defaultExamples());
  const weight = options.correctionWeight ?? 3;
  const share = options.heldBackShare ?? 0.2;
  const corrections = latestCorrections(options.corrections);
  const topicCorrections = corrections.filter((c) => c.kind === 'topic' && c.value !== null);
  const held = topicCorrections.filter((c) => isHeldBack(c.text, share));
  const training = topicCorrections.filter((c) => !isHeldBack(c.text, share));
  const trainOptions = { lexicon: options.lexicon ?? DEFAULT_LEXICON, ...(options.topics && options.topics.length > 0 ? { topics: options.topics } : {}) };

  const candidate = TopicModel.train([...base, ...topicExamples(training, weight)], trainOptions);
  const candidateAccuracy = accuracy(candidate, held);
  const current = options.current ? new TopicModel(options.current.topicModel) : null;
  const currentAccuracy = current ? accuracy(current, held) : null;
  if (options.current && candidateAccuracy !== null && currentAccuracy !== null && candidateAccuracy < currentAccuracy) {
    return { model: options.current, accepted: false, candidateAccuracy, currentAccuracy, heldBack: held.length };
  }

  // Accepted: the held-back corrections were only for scoring; the model learns from all.
  const final = TopicModel.train([...base, ...topicExamples(topicCorrections, weight)], trainOptions);
  const obsceneExclusions = new Set<string>();
  const curatorRejections: { text: string; reason: ReasonCode }[] = [];
  const curatorImportance: { text: string; value: ImportanceValue }[] = [];
  const curatorLocations: { text: string; value: string }[] = [];
  for (const c of corrections) {
    if (c.kind === 'unreject' && c.previous === 'obscene') {
      for (const w of c.evidence ?? []) for (const t of normalize(w).tokens) for (const f of t.folded) obsceneExclusions.add(f);
    }
    if (c.kind === 'reject' && c.value !== null && REASON_CODES.includes(c.value as ReasonCode)) curatorRejections.push({ text: c.text, reason: c.value as ReasonCode });
    if (c.kind === 'importance' && (c.value === 'high' || c.value === 'normal')) curatorImportance.push({ text: c.text, value: c.value });
    if (c.kind === 'location' && c.value !== null) curatorLocations.push({ text: c.text, value: c.value });
  }
  return {
    model: {
      version: versionOf(base, corrections),
      topicModel: final.toJSON(),
      obsceneExclusions: [...obsceneExclusions],
      curatorRejections,
      curatorUnrejections: curatorUnrejections(options.corrections),
      curatorImportance,
      curatorLocations,
      repeatUnlinks: repeatUnlinks(options.corrections),
      trainedAt: options.now,
      heldBackAccuracy: candidateAccuracy,
      corrections: corrections.length,
    },
    accepted: true,
    candidateAccuracy,
    currentAccuracy,
    heldBack: held.length,
  };
}
