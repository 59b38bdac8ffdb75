import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

export const CORRECTION_KINDS = ['topic', 'location', 'importance', 'reject', 'unreject', 'unlink-repeat'] as const;

/**
 * One curator correction of a classifier verdict, with who and when: the material the
 * classifier retrains from (classifiers/learning.ts). Never updated, only appended.
 */
const classifierCorrectionSchema = new Schema(
  {
    tenant: { type: String, required: true },
    /** The incident whose verdict was corrected, when there is one. */
    incident: { type: String, default: null },
    text: { type: String, required: true },
    kind: { type: String, enum: CORRECTION_KINDS, required: true },
    /** Topic, location, «high»/«normal», a reason code for reject; null for unreject. */
    value: { type: String, default: null },
    /** What the classifier had said. */
    previous: { type: String, default: null },
    /** For unreject: the words the classifier took as evidence. */
    evidence: { type: [String], default: [] },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'classifierCorrections' },
);
classifierCorrectionSchema.index({ tenant: 1, at: 1 });

export function classifierCorrectionModel(connection: Connection) {
  return modelOn(connection, 'ClassifierCorrection', classifierCorrectionSchema);
}
