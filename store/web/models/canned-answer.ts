import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../models/shared.js';

/** Шаблоны ответов: a tenant's ready texts, per topic (null: any), that an executor inserts into a draft. */
const cannedAnswerSchema = new Schema(
  {
    tenant: { type: String, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
    topic: { type: String, default: null },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'cannedAnswers', minimize: false, versionKey: false },
);
cannedAnswerSchema.index({ tenant: 1 });

export function cannedAnswerModel(connection: Connection) {
  return modelOn(connection, 'CannedAnswer', cannedAnswerSchema);
}
