/**
 * Verdict assembly: one normalization, every rule set, and the suggestions the curator
 * reads in Compass (`verdict.rejected`, `verdict.reason`, `verdict.evidence`,
 * `verdict.topic`, `verdict.location`, `verdict.importance`, `verdict.repeatOf`,
 * `verdict.modelVersion`). A rejection stops nothing here: topic and importance are
 * still suggested, so a curator who unrejects has them at hand.
 *
 * Two steps, so that the classifier worker can look up repeat candidates in the store for
 * a whole batch between them:
 *
 *   const prepared = classifier.prepare({ text, author, at });    // rules, suggestions, repeat probe
 *   // candidates = the entries the store keeps under prepared.repeatKeys
 *   const verdict = classifier.complete(prepared, candidates);    // + repeatOf and spam by near copies
 *   const entry = prepared.repeatEntry(String(incidentNumber));   // what to file under prepared.repeatKeys
 *
 * `classify(text)` and `classifyAgainst(index, message)` are the same two steps.
 */
import { detectAdvertising, SPAM_COPIES } from './advertising.js';
import { CompetenceRules, type CompetenceEntry, type CompetenceSuggestion } from './competence.js';
import { detectHarmIntent } from './harm-intent.js';
import { ImportanceRules, type Importance, type ImportanceSign, type ImportanceValue } from './importance.js';
import { detectInsult, insultExceptionTokens } from './insult.js';
import { detectLanguage, type LanguageResult } from './language.js';
import { findAddress } from './address.js';
import { Gazetteer, locate, type GazetteerEntry, type LocationMatch } from './location.js';
import { normalize, type Normalized, type Token } from './normalize.js';
import { detectObscene, hasPlainObsceneWord, obsceneExceptionTokens } from './obscene.js';
import {
  countNearCopies, decideRepeat, DEFAULT_REPEAT_WINDOW_MS, repeatEntry, repeatProbe, sketchOf,
  type RepeatEntry, type RepeatIndex, type RepeatMatch, type RepeatProbe, type RepeatUnlink,
} from './repeat.js';
import { CuratorMemory } from './curator-memory.js';
import type { ModelVersion, RepeatUnlinkText } from './learning.js';
import { detectThreat } from './threat.js';
import { AbuseModel, fineTuned, shippedAbuseModel, type AbuseCorrection, type AbuseScore } from './abuse-model.js';
import { STOPWORDS } from './data/stopwords.js';
import { ABUSE_WEIGHTS } from './data/abuse-weights.js';
import { besideInnocentObject } from './violence-lexicon.js';
import { OFFICIALS, PERSONS, PRIVATE_PERSONS, reportedTokens, SECOND_PERSON, surnameTokens } from './words.js';
import { TopicModel, topicAndContentStems, type TopicGuess } from './topic.js';
import { hit, REASON_CODES, type ReasonCode, type RuleHit } from './types.js';
import { detectViolenceCall } from './violence-call.js';
import { defaultTopicModel, DEFAULT_MODEL_VERSION } from './default-model.js';
import { DEFAULT_IMPORTANCE_SIGNS, DEFAULT_OFF_COMPETENCE } from './data/dictionaries.js';

export interface Verdict {
  readonly rejected: boolean;
  /** Russian label of the main reason, for the curator; null when not rejected. */
  readonly reason: string | null;
  readonly reasonCode: ReasonCode | null;
  /** The words that triggered the main reason. */
  readonly evidence: readonly string[];
  /** Every rule that fired, main one first. */
  readonly reasons: readonly RuleHit[];
  readonly language: LanguageResult;
  readonly topic: TopicGuess;
  readonly location: LocationMatch | null;
  readonly importance: Importance;
  /** «вне компетенции» with the area, as a suggestion only (001 [22]). */
  readonly competence: CompetenceSuggestion | null;
  readonly repeatOf: RepeatMatch | null;
  readonly modelVersion: string;
}

/** «пусть … сам(и)»: the reader or an official dared to come and see for themselves. */
function isDare(n: Normalized): boolean {
  return n.tokens.some((t, i) => /^(?:пусть|пускай)$/.test(t.plain) && n.tokens.slice(i + 1, i + 4).some((u) => /^(?:сам|сама|сами)$/.test(u.plain)));
}

/** Whether token `i` names a person, an office or the reader (targets.ts). */
function isPersonWord(tokens: readonly Token[], i: number): boolean {
  return OFFICIALS.testAt(tokens, i) || PERSONS.testAt(tokens, i) || PRIVATE_PERSONS.testAt(tokens, i) || SECOND_PERSON.testAt(tokens, i);
}

/** Words that carry grammar, not meaning: a model's rejection must rest on some other word. */
const FUNCTION_WORDS: ReadonlySet<string> = new Set([...STOPWORDS, 'пусть', 'пускай', 'давай', 'давайте', 'дайте', 'этих', 'этот', 'эта', 'это', 'всем', 'сами', 'сама']);

/** Which reason a curator sees first when several apply: the gravest. */
const PRIORITY: readonly ReasonCode[] = ['threat', 'violence-call', 'harm-intent', 'obscene', 'insult', 'advertising'];

export interface ClassifierOptions {
  readonly topicModel?: TopicModel;
  readonly modelVersion?: string;
  readonly gazetteer?: readonly GazetteerEntry[];
  /** Tenant words that must not count as obscene (curators' unrejections, place names). */
  readonly obsceneExclusions?: readonly string[];
  /** Tenant additions to the shipped off-competence and importance signs. */
  readonly competence?: readonly CompetenceEntry[];
  readonly importanceSigns?: readonly ImportanceSign[];
  /** Texts a curator rejected that the rules let through; near copies get the same reason. */
  readonly curatorRejections?: readonly { readonly text: string; readonly reason: ReasonCode }[];
  /**
   * Texts a curator unrejected: near copies are not rejected again, and the abuse model
   * learns them as acceptable.
   */
  readonly curatorUnrejections?: readonly string[];
  /**
   * The learned abuse model beside the rules (abuse-model.ts); the shipped one by default,
   * null for the rules alone.
   */
  readonly abuseModel?: AbuseModel | null;
  /** Texts whose importance the curator set; near copies get the same. */
  readonly curatorImportance?: readonly { readonly text: string; readonly value: ImportanceValue }[];
  /** Texts whose place the curator set (a gazetteer name); near copies get the same. */
  readonly curatorLocations?: readonly { readonly text: string; readonly value: string }[];
  /** Repeats the curator unlinked: neither the pair nor near copies of it are linked again. */
  readonly repeatUnlinks?: readonly RepeatUnlinkText[];
  /** How far back a repeat is looked for; 180 days by default. */
  readonly repeatWindowMs?: number;
}

/** A message to classify: its text, its author's id on the network, when it was detected. */
export interface IncomingMessage {
  readonly text: string;
  readonly author?: string;
  /** Detection time, ms since the epoch; repeats are looked for within a window before it. */
  readonly at: number;
}

const completed = new WeakMap<PreparedMessage, Verdict>();

/**
 * A message after the first step: its verdict as far as the text alone decides, and its
 * repeat features. `repeatKeys` are the store keys to look candidates up under and to
 * file the message under.
 */
export class PreparedMessage {
  readonly repeatKeys: readonly string[];

  constructor(
    readonly message: IncomingMessage,
    readonly normalized: Normalized,
    /** The verdict without the effects of earlier messages (repeat, spam by copies). */
    readonly base: Verdict,
    readonly probe: RepeatProbe,
  ) {
    this.repeatKeys = probe.keys;
  }

  /**
   * What to file under `repeatKeys` once the message has its number (incident or
   * rejection): rejected messages count as copies for spam, never as a repeat's target.
   */
  repeatEntry(id: string): RepeatEntry {
    const verdict = completed.get(this) ?? this.base;
    return repeatEntry(this.probe, id, { rejected: verdict.rejected });
  }
}

export interface MessageContext {
  /** How many times the same text has been seen lately (spam). */
  readonly sameTextCount?: number;
  /** The repeat found for this message, when the caller has one. */
  readonly repeatOf?: RepeatMatch | null;
}

export class Classifier {
  readonly modelVersion: string;
  private readonly topicModel: TopicModel;
  private readonly gazetteer: Gazetteer;
  private readonly exclusions: ReadonlySet<string>;
  private readonly competence: CompetenceRules;
  private readonly importance: ImportanceRules;
  private readonly rejectedByCurator: CuratorMemory<ReasonCode>;
  private readonly unrejectedByCurator: CuratorMemory<true>;
  private readonly abuse: AbuseModel | null;
  private readonly importanceByCurator: CuratorMemory<ImportanceValue>;
  private readonly locationByCurator: CuratorMemory<string>;
  private readonly places: ReadonlyMap<string, GazetteerEntry>;
  private readonly unlinks: readonly RepeatUnlink[];
  private readonly repeatWindowMs: number;

  /** A classifier for a tenant's trained model version (learning.ts). */
  static fromModel(
    model: ModelVersion,
    options: Omit<ClassifierOptions, 'topicModel' | 'modelVersion' | 'curatorRejections' | 'curatorImportance' | 'curatorLocations'> = {},
  ): Classifier {
    return new Classifier({
      ...options,
      topicModel: new TopicModel(model.topicModel),
      modelVersion: model.version,
      obsceneExclusions: [...(options.obsceneExclusions ?? []), ...model.obsceneExclusions],
      curatorRejections: model.curatorRejections,
      curatorUnrejections: [...(options.curatorUnrejections ?? []), ...(model.curatorUnrejections ?? [])],
      curatorImportance: model.curatorImportance,
      curatorLocations: model.curatorLocations,
      repeatUnlinks: [...(options.repeatUnlinks ?? []), ...(model.repeatUnlinks ?? [])],
    });
  }

  constructor(options: ClassifierOptions = {}) {
    this.topicModel = options.topicModel ?? defaultTopicModel();
    this.modelVersion = options.modelVersion ?? (options.topicModel ? 'custom' : DEFAULT_MODEL_VERSION);
    this.gazetteer = new Gazetteer(options.gazetteer ?? []);
    // Exclusions are compared with folded words: «Ебеньки» → «ебеньки».
    this.exclusions = new Set((options.obsceneExclusions ?? []).flatMap((w) => normalize(w).tokens.flatMap((t) => [...t.folded])));
    this.competence = new CompetenceRules([...DEFAULT_OFF_COMPETENCE, ...(options.competence ?? [])]);
    this.importance = new ImportanceRules([...DEFAULT_IMPORTANCE_SIGNS, ...(options.importanceSigns ?? [])]);
    this.rejectedByCurator = new CuratorMemory((options.curatorRejections ?? [])
      .filter((r) => REASON_CODES.includes(r.reason)).map((r) => ({ text: r.text, value: r.reason })));
    this.unrejectedByCurator = new CuratorMemory((options.curatorUnrejections ?? []).map((text) => ({ text, value: true as const })));
    // The curator's decisions on texts are the model's training too: it learns them on top
    // of the shipped weights (rejections the rules made need no lesson).
    const unrejected = new Set((options.curatorUnrejections ?? []).map((t) => normalize(t).text));
    const lessons: AbuseCorrection[] = [
      ...(options.curatorRejections ?? []).filter((r) => REASON_CODES.includes(r.reason) && !unrejected.has(normalize(r.text).text)).map((r) => ({ text: r.text, reason: r.reason })),
      ...(options.curatorUnrejections ?? []).map((text) => ({ text, reason: null })),
    ];
    const model = options.abuseModel === undefined ? shippedAbuseModel() : options.abuseModel;
    this.abuse = model === null ? null : fineTuned(model, lessons, ABUSE_WEIGHTS);
    this.importanceByCurator = new CuratorMemory(options.curatorImportance ?? []);
    this.places = new Map((options.gazetteer ?? []).map((e) => [e.name, e]));
    this.locationByCurator = new CuratorMemory((options.curatorLocations ?? []).filter((l) => this.places.has(l.value)));
    this.unlinks = (options.repeatUnlinks ?? []).map((u) => ({
      sh: sketchOf(u.text),
      incidentId: u.incidentId,
      ...(u.otherText !== undefined ? { otherSh: sketchOf(u.otherText) } : {}),
    }));
    this.repeatWindowMs = options.repeatWindowMs ?? DEFAULT_REPEAT_WINDOW_MS;
  }

  private recalledImportance(text: string): Importance | null {
    const copy = this.importanceByCurator.recall(text);
    if (copy === null) return null;
    return {
      value: copy.value,
      reason: copy.value === 'high' ? 'Как в похожем сообщении, которое куратор отметил как важное' : '',
      evidence: ['похоже на сообщение, важность которого указал куратор'],
    };
  }

  private recalledLocation(text: string): LocationMatch | null {
    const copy = this.locationByCurator.recall(text);
    const entry = copy === null ? undefined : this.places.get(copy.value);
    if (entry === undefined) return null;
    return {
      value: entry.name,
      kind: entry.kind,
      ...(entry.settlement !== undefined ? { settlement: entry.settlement } : {}),
      evidence: 'как в похожем сообщении, где место указал куратор',
      confidence: 'low',
    };
  }

  rules(n: Normalized, context: MessageContext = {}): RuleHit[] {
    const hits: RuleHit[] = [];
    const add = (h: RuleHit | null): void => { if (h) hits.push(h); };
    add(detectThreat(n));
    add(detectViolenceCall(n));
    add(detectHarmIntent(n));
    add(detectObscene(n, { exclusions: this.exclusions }));
    add(detectInsult(n));
    add(detectAdvertising(n, { sameTextCount: context.sameTextCount ?? 0 }));
    // A near copy of a text the curator unrejected is not rejected again, whatever found it.
    if (this.unrejectedByCurator.size > 0 && this.unrejectedByCurator.recall(n.original) !== null) return [];
    const score = this.abuse?.score(n) ?? null;
    // Rules written from some writers falsely reject a few of a new writer's complaints
    // (surnames, quoted spam, «убить полчаса»); where the model is sure the text is
    // acceptable it overrules them. Not the same text posted again and again: that is spam
    // whatever its words.
    if (score !== null && hits.length > 0 && score.reject < this.abuse!.thresholds.veto && (context.sameTextCount ?? 0) < SPAM_COPIES) {
      // An unmasked dictionary мат word («нихуя» in a long complaint) is no look-alike the
      // model could be right about: the veto keeps the obscene rule's hit.
      const obscene = hits.filter((h) => h.reason === 'obscene');
      const kept = obscene.length > 0 && hasPlainObsceneWord(n, this.exclusions) ? obscene : [];
      hits.length = 0;
      hits.push(...kept);
    }
    if (hits.length === 0) {
      const copy = this.rejectedByCurator.recall(n.original);
      if (copy !== null) hits.push(hit(copy.value, ['похоже на сообщение, отклонённое куратором']));
    }
    if (hits.length === 0 && score !== null) add(this.modelRejection(n, score));
    return hits.sort((a, b) => PRIORITY.indexOf(a.reason) - PRIORITY.indexOf(b.reason));
  }

  /** The abuse model's own rejection of a text, the rules' exceptions applied; null when it does not reject. */
  modelRejection(n: Normalized, score: AbuseScore | null = this.abuse?.score(n) ?? null): RuleHit | null {
    return score !== null && score.reject > this.abuse!.thresholds.reject ? this.modelHit(n, score.reason) : null;
  }

  /** The abuse model's probability that a text is to be rejected; null without a model. */
  abuseScore(n: Normalized): AbuseScore | null {
    return this.abuse?.score(n) ?? null;
  }

  /**
   * A rejection by the abuse model, with the words that weighed most for its reason as
   * evidence; null where the rules' exceptions stand against it: without the words that
   * are someone else's (a quotation, a report, a surname) or that the rules hold innocent
   * (look-alikes of мат and insults, idioms, the tenant's exclusions) the model would not
   * reject, or a word of violence is aimed at pests, weeds or time.
   */
  private modelHit(n: Normalized, reason: ReasonCode): RuleHit | null {
    const model = this.abuse!;
    const weighed = model.contributions(n, reason);
    // Only the words that pushed towards the rejection are looked at for exceptions.
    const pushing = weighed.map((w) => w.token);
    const reported = reportedTokens(n);
    const surnames = surnameTokens(n);
    const insultExceptions = insultExceptionTokens(n, pushing);
    const obsceneExceptions = obsceneExceptionTokens(n, this.exclusions, pushing);
    const notOwn = new Set(pushing.filter((t) => reported.has(t) || surnames.has(t) || insultExceptions.has(t) || obsceneExceptions.has(t)));
    if (notOwn.size > 0 && model.score(n, notOwn).reject <= model.thresholds.reject) return null;
    // The evidence: the words of meaning that weighed most, within a quarter of the
    // strongest word. Function words alone («пусть … эту») are the shape of a sentence, not
    // what it says: a rejection that rests on nothing else is none.
    const strongest = weighed[0]?.weight ?? 0;
    // Nor do words the rules hold innocent or someone else's («хоть в петлю лезь» beside
    // «от этой вони»): the model may weigh them, but they are no evidence.
    const tokens = weighed.filter((w) => w.weight >= strongest / 4 && !FUNCTION_WORDS.has(n.tokens[w.token]!.folded[0] ?? '') && !notOwn.has(w.token)).slice(0, 3).map((w) => w.token);
    if (tokens.length === 0) return null;
    if (reason === 'threat' || reason === 'violence-call' || reason === 'harm-intent') {
      if (tokens.some((i) => besideInnocentObject(n.tokens, i))) return null;
      // A dare («пусть глава сам приедет и посмотрит») resting on who alone is no violence.
      if (isDare(n) && tokens.every((i) => isPersonWord(n.tokens, i))) return null;
    }
    return hit(reason, tokens.map((i) => n.tokens[i]!.raw));
  }


  /**
   * Step one: everything the text alone decides, and the message's repeat features
   * (`repeatKeys` to look candidates up under).
   */
  prepare(message: IncomingMessage): PreparedMessage {
    const n = normalize(message.text);
    const stems = topicAndContentStems(n);
    const base = this.judge(n, message.text, 0, stems.topic);
    const place = base.location !== null && base.location.kind !== 'settlement' ? base.location : null;
    const probe = repeatProbe({
      text: message.text,
      at: message.at,
      ...(message.author ? { author: message.author } : {}),
      location: place?.value ?? null,
      house: place?.house ?? null,
      topic: base.topic.value,
      stems: stems.content,
    });
    return new PreparedMessage(message, n, base, probe);
  }

  /**
   * Step two: the verdict against the earlier messages filed under the prepared message's
   * repeat keys — the repeat it is (001 [19]), and spam when the same text keeps coming.
   */
  complete(prepared: PreparedMessage, candidates: readonly RepeatEntry[]): Verdict {
    const sameTextCount = countNearCopies(prepared.probe, candidates);
    // Only the spam rule reads the count, and only from SPAM_COPIES on.
    const verdict = sameTextCount >= SPAM_COPIES && !prepared.base.rejected
      ? this.withReasons(prepared.base, this.rules(prepared.normalized, { sameTextCount }))
      : prepared.base;
    const repeatOf = verdict.rejected ? null : decideRepeat(prepared.probe, candidates, { windowMs: this.repeatWindowMs, unlinks: this.unlinks });
    const final = { ...verdict, repeatOf };
    completed.set(prepared, final);
    return final;
  }

  /**
   * A message of the tenant against an in-memory repeat index: the same problem as an
   * earlier incident (001 [19]) and the same text posted again and again (spam). The
   * caller adds the incident to the index once it is stored.
   */
  classifyAgainst(index: RepeatIndex, message: { readonly text: string; readonly author?: string; readonly at?: number }): Verdict {
    const prepared = this.prepare({ text: message.text, at: message.at ?? 0, ...(message.author !== undefined ? { author: message.author } : {}) });
    index.remember(message.text, prepared.probe);
    return this.complete(prepared, index.candidates(prepared.repeatKeys));
  }

  /** A text on its own, with no earlier messages to compare it with. */
  classify(text: string, context: MessageContext = {}): Verdict {
    const verdict = this.judge(normalize(text), text, context.sameTextCount ?? 0);
    return context.repeatOf !== undefined ? { ...verdict, repeatOf: context.repeatOf } : verdict;
  }

  private withReasons(verdict: Verdict, reasons: readonly RuleHit[]): Verdict {
    const main = reasons[0];
    return { ...verdict, rejected: main !== undefined, reason: main?.label ?? null, reasonCode: main?.reason ?? null, evidence: main?.evidence ?? [], reasons };
  }

  private judge(n: Normalized, text: string, sameTextCount: number, topicStems?: readonly string[]): Verdict {
    const reasons = this.rules(n, { sameTextCount });
    const main = reasons[0];
    return {
      rejected: main !== undefined,
      reason: main?.label ?? null,
      reasonCode: main?.reason ?? null,
      evidence: main?.evidence ?? [],
      reasons,
      language: detectLanguage(n.text),
      topic: topicStems !== undefined ? this.topicModel.classify(n, topicStems) : this.topicModel.classify(n),
      location: locate(this.gazetteer, n, findAddress(text)) ?? this.recalledLocation(text),
      importance: this.recalledImportance(text) ?? this.importance.assess(n),
      competence: this.competence.suggest(n),
      repeatOf: null,
      modelVersion: this.modelVersion,
    };
  }
}

/**
 * The verdict as stored on the incident (`incident.verdict`), readable in Compass: the
 * Russian label as `reason`, the code beside it for queries, and every suggestion with
 * its own reason or evidence (DESIGN, Store).
 */
export interface StoredVerdict {
  readonly rejected: boolean;
  readonly reason: string | null;
  readonly reasonCode: ReasonCode | null;
  readonly evidence: readonly string[];
  readonly otherReasons: readonly { readonly reason: string; readonly evidence: readonly string[] }[];
  readonly language: string;
  /** For the curator when the message is not in Russian: flagged, never rejected. */
  readonly languageNote: string | null;
  readonly topic: TopicGuess;
  readonly location: LocationMatch | null;
  readonly importance: { readonly value: Importance['value']; readonly reason: string };
  readonly competence: CompetenceSuggestion | null;
  readonly repeatOf: RepeatMatch | null;
  readonly modelVersion: string;
}

export function toStoredVerdict(v: Verdict): StoredVerdict {
  return {
    rejected: v.rejected,
    reason: v.reason,
    reasonCode: v.reasonCode,
    evidence: v.evidence,
    otherReasons: v.reasons.slice(1).map((r) => ({ reason: r.label, evidence: r.evidence })),
    language: v.language.code,
    languageNote: v.language.russian ? null : `Сообщение не на русском языке (${v.language.code})`,
    topic: v.topic,
    location: v.location,
    importance: { value: v.importance.value, reason: v.importance.reason },
    competence: v.competence,
    repeatOf: v.repeatOf,
    modelVersion: v.modelVersion,
  };
}
