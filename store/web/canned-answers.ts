import { Types } from 'mongoose';
import type { CannedAnswer, CannedAnswerInput } from '../../web/ports.js';
import { dbOf, type Store } from '../connection.js';
import { cannedAnswerModel } from './models/canned-answer.js';

/** Шаблоны ответов per tenant and topic; ids are ObjectId strings, checked before they reach a filter. */

type Doc = { _id: Types.ObjectId; tenant: string; title: string; text: string; topic?: string | null; updatedBy: string; updatedAt: Date };

function toCanned(d: Doc): CannedAnswer {
  return { id: String(d._id), tenant: d.tenant, title: d.title, text: d.text, topic: d.topic ?? null, updatedBy: d.updatedBy, updatedAt: d.updatedAt };
}

export async function listCannedAnswers(store: Store, tenant: string): Promise<CannedAnswer[]> {
  const docs = (await cannedAnswerModel(dbOf(store).connection).find({ tenant }).lean().exec()) as Doc[];
  return docs.map(toCanned).sort((a, b) => (a.topic ?? '').localeCompare(b.topic ?? '', 'ru') || a.title.localeCompare(b.title, 'ru'));
}

export async function findCannedAnswer(store: Store, tenant: string, id: string): Promise<CannedAnswer | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const d = (await cannedAnswerModel(dbOf(store).connection).findOne({ _id: new Types.ObjectId(id) }).lean().exec()) as Doc | null;
  // Another tenant's template is as good as absent.
  return d && d.tenant === tenant ? toCanned(d) : null;
}

export async function saveCannedAnswer(store: Store, input: CannedAnswerInput): Promise<CannedAnswer> {
  const fields = { tenant: input.tenant, title: input.title, text: input.text, topic: input.topic, updatedBy: input.by, updatedAt: input.now };
  const model = cannedAnswerModel(dbOf(store).connection);
  if (input.id === undefined) {
    const created = await model.create(fields);
    return toCanned(created.toObject() as Doc);
  }
  const existing = await findCannedAnswer(store, input.tenant, input.id);
  if (!existing) throw new RangeError(`Шаблон ${input.id} не найден`);
  await model.updateOne({ _id: new Types.ObjectId(input.id) }, { $set: fields }).exec();
  return { ...existing, ...fields, id: existing.id };
}

export async function deleteCannedAnswer(store: Store, tenant: string, id: string): Promise<boolean> {
  if (!(await findCannedAnswer(store, tenant, id))) return false;
  const result = await cannedAnswerModel(dbOf(store).connection).deleteOne({ _id: new Types.ObjectId(id) }).exec();
  return result.deletedCount === 1;
}
