/**
 * What the classifier keeps in the store: curator corrections (appended, with who and
 * when), the tenant's accepted model versions, and the tenant's gazetteer, topics and
 * keyword lists as the rules read them. The learning itself is pure (classifiers/learning.ts).
 */
import type { Correction, ModelVersion, RetrainResult } from '../classifiers/learning.js';
import { curatorUnrejections, repeatUnlinks, retrain, type RepeatUnlinkText } from '../classifiers/learning.js';
import type { CompetenceEntry } from '../classifiers/competence.js';
import { topicModelFor, topicsVersion } from '../classifiers/default-model.js';
import { Classifier } from '../classifiers/verdict.js';
import { TENANT_LIST_NAMES, TENANT_OFF_COMPETENCE_AREA, TENANT_URGENT_REASON } from '../classifiers/data/dictionaries.js';
import type { ImportanceSign } from '../classifiers/importance.js';
import type { GazetteerEntry, PlaceKind } from '../classifiers/location.js';
import { REASON_CODES, type ReasonCode } from '../classifiers/types.js';
import type { TopicModelData } from '../classifiers/topic.js';
import type { Db } from './db.js';
import { classifierCorrectionModel } from './models/classifier-correction.js';
import { classifierModelModel } from './models/classifier-model.js';
import { activeRowsFilter, activeSectionRows } from './config-versions.js';
import { keywordListModel } from './models/keyword-list.js';
import { tenantModel } from './models/tenant.js';

import type { StoredCorrection } from './port.js';

export async function recordCorrection(db: Db, tenant: string, correction: StoredCorrection): Promise<void> {
  await classifierCorrectionModel(db.connection).create({
    tenant,
    incident: correction.incident ?? null,
    text: correction.text,
    kind: correction.kind,
    value: correction.value,
    previous: correction.previous ?? null,
    evidence: [...(correction.evidence ?? [])],
    by: correction.by,
    at: correction.at,
  });
}

export async function loadCorrections(db: Db, tenant: string): Promise<Correction[]> {
  const docs = await classifierCorrectionModel(db.connection).find({ tenant }).sort({ at: 1 }).lean();
  return docs.map((d) => ({
    text: d.text,
    kind: d.kind as Correction['kind'],
    value: d.value ?? null,
    previous: d.previous ?? null,
    evidence: d.evidence ?? [],
    by: d.by,
    at: d.at,
  }));
}

/** The tenant's model in use: the newest accepted version, or null before the first retrain. */
export async function loadActiveModel(db: Db, tenant: string): Promise<ModelVersion | null> {
  const d = await classifierModelModel(db.connection).findOne({ tenant }).sort({ trainedAt: -1 }).lean();
  if (!d) return null;
  return {
    version: d.version,
    topicModel: d.topicModel as TopicModelData,
    obsceneExclusions: d.obsceneExclusions ?? [],
    curatorRejections: (d.curatorRejections ?? []).flatMap((r) =>
      typeof r.text === 'string' && REASON_CODES.includes(r.reason as ReasonCode) ? [{ text: r.text, reason: r.reason as ReasonCode }] : []),
    curatorImportance: (d.curatorImportance ?? []).flatMap((r) =>
      typeof r.text === 'string' && (r.value === 'high' || r.value === 'normal') ? [{ text: r.text, value: r.value }] : []),
    curatorLocations: (d.curatorLocations ?? []).flatMap((r) =>
      typeof r.text === 'string' && typeof r.value === 'string' ? [{ text: r.text, value: r.value }] : []),
    repeatUnlinks: Array.isArray(d.repeatUnlinks) ? (d.repeatUnlinks as RepeatUnlinkText[]).filter((u) => typeof u?.text === 'string' && typeof u.incidentId === 'string') : [],
    trainedAt: d.trainedAt,
    heldBackAccuracy: d.heldBackAccuracy ?? null,
    corrections: d.corrections,
  };
}

export async function saveModelVersion(db: Db, tenant: string, model: ModelVersion): Promise<void> {
  // The same corrections give the same version: saving it again changes nothing.
  await classifierModelModel(db.connection).updateOne(
    { tenant, version: model.version },
    {
      $setOnInsert: {
        tenant,
        version: model.version,
        trainedAt: model.trainedAt,
        heldBackAccuracy: model.heldBackAccuracy,
        corrections: model.corrections,
        topicModel: model.topicModel,
        obsceneExclusions: [...model.obsceneExclusions],
        curatorRejections: model.curatorRejections.map((r) => ({ text: r.text, reason: r.reason })),
        curatorImportance: model.curatorImportance.map((r) => ({ text: r.text, value: r.value })),
        curatorLocations: model.curatorLocations.map((r) => ({ text: r.text, value: r.value })),
        repeatUnlinks: [...(model.repeatUnlinks ?? [])],
      },
    },
    { upsert: true },
  );
}

/**
 * Retrains the tenant's model from all its corrections (on schedule and on demand,
 * `otklik classifier retrain`) and stores the result when it is accepted.
 */
export async function retrainTenant(db: Db, tenant: string, now: Date): Promise<RetrainResult> {
  const [corrections, current, topics] = await Promise.all([loadCorrections(db, tenant), loadActiveModel(db, tenant), loadTenantTopics(db, tenant)]);
  const result = retrain({ corrections, current, topics, now });
  if (result.accepted && result.model.version !== current?.version) await saveModelVersion(db, tenant, result.model);
  return result;
}

export async function loadGazetteer(db: Db, tenant: string): Promise<GazetteerEntry[]> {
  // The tenant's active gazetteer version (store/config-versions.ts): an import in progress is not seen.
  const docs = await activeSectionRows<{ name: string; kind: string; aliases?: string[]; settlement?: string }>(db, tenant, 'gazetteer');
  return docs.map((d) => ({
    name: d.name,
    kind: d.kind as PlaceKind,
    aliases: d.aliases ?? [],
    ...(d.settlement ? { settlement: d.settlement } : {}),
  }));
}

/** The tenant's own topic list (tenant.topics); empty when it uses the shipped topics. */
export async function loadTenantTopics(db: Db, tenant: string): Promise<string[]> {
  const doc = await tenantModel(db.connection).findOne({ name: tenant }, { topics: 1 }).lean();
  return doc?.topics ?? [];
}

export interface TenantDictionaries {
  readonly obsceneExclusions: string[];
  readonly competence: CompetenceEntry[];
  readonly importanceSigns: ImportanceSign[];
}

function phrasePattern(phrases: readonly string[]): string {
  return `(?:${phrases.map((p) => p.toLowerCase().replace(/ё/g, 'е').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
}

/** The tenant's keyword lists that extend the classifier's shipped dictionaries. */
export async function loadTenantDictionaries(db: Db, tenant: string): Promise<TenantDictionaries> {
  const names = Object.values(TENANT_LIST_NAMES);
  const lists = await keywordListModel(db.connection).find({ ...(await activeRowsFilter(db, tenant, 'keywordLists')), name: { $in: names } }).lean();
  const words = (name: string): string[] => lists.filter((l) => l.name === name).flatMap((l) => l.keywords ?? []).filter((k) => k.trim() !== '');
  const offCompetence = words(TENANT_LIST_NAMES.offCompetence);
  const urgent = words(TENANT_LIST_NAMES.urgent);
  return {
    obsceneExclusions: words(TENANT_LIST_NAMES.notObscene),
    competence: offCompetence.length > 0 ? [{ pattern: phrasePattern(offCompetence), area: TENANT_OFF_COMPETENCE_AREA }] : [],
    importanceSigns: urgent.length > 0 ? [{ pattern: phrasePattern(urgent), reason: TENANT_URGENT_REASON }] : [],
  };
}

/**
 * The tenant's classifier: its accepted model version if it has one, else the shipped
 * model (or one for the tenant's own topic list), with its gazetteer and dictionaries.
 */
export async function loadTenantClassifier(db: Db, tenant: string): Promise<Classifier> {
  const [model, gazetteer, topics, dictionaries, corrections] = await Promise.all([
    loadActiveModel(db, tenant), loadGazetteer(db, tenant), loadTenantTopics(db, tenant), loadTenantDictionaries(db, tenant), loadCorrections(db, tenant),
  ]);
  // A curator's unlink (001 [19]: a repeat is the same question) applies at once, before any retrain.
  // So does an unrejection: near copies of the text are not rejected again (abuse model, rules).
  const own = { gazetteer, ...dictionaries, repeatUnlinks: repeatUnlinks(corrections), curatorUnrejections: curatorUnrejections(corrections) };
  return model ? Classifier.fromModel(model, own)
    : topics.length > 0 ? new Classifier({ ...own, topicModel: topicModelFor(topics), modelVersion: topicsVersion(topics) })
    : new Classifier(own);
}
