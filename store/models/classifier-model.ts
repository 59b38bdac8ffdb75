import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/**
 * One accepted classifier model version of a tenant. Versions are kept; the newest is the
 * one in use and the one verdicts are stamped with. A retrain whose candidate scores worse
 * than it on the held-back corrections stores nothing (classifiers/learning.ts), so
 * switching versions is one insert and never a multi-document update.
 */
const classifierModelSchema = new Schema(
  {
    tenant: { type: String, required: true },
    version: { type: String, required: true },
    trainedAt: { type: Date, required: true },
    /** Topic accuracy on the held-back corrections when it was trained; null without any. */
    heldBackAccuracy: { type: Number, default: null },
    corrections: { type: Number, required: true },
    /** The multinomial naive Bayes model as classifiers/topic.ts serializes it. */
    topicModel: { type: Schema.Types.Mixed, required: true },
    obsceneExclusions: { type: [String], default: [] },
    curatorRejections: { type: [{ text: String, reason: String, _id: false }], default: [] },
    curatorImportance: { type: [{ text: String, value: String, _id: false }], default: [] },
    curatorLocations: { type: [{ text: String, value: String, _id: false }], default: [] },
    /** Repeats a curator unlinked: not linked again (classifiers/learning.ts repeatUnlinks). */
    repeatUnlinks: { type: Schema.Types.Mixed, default: [] },
  },
  { collection: 'classifierModels', minimize: false },
);
classifierModelSchema.index({ tenant: 1, version: 1 }, { unique: true });
classifierModelSchema.index({ tenant: 1, trainedAt: -1 });

export function classifierModelModel(connection: Connection) {
  return modelOn(connection, 'ClassifierModel', classifierModelSchema);
}
