import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/**
 * A missed term, recorded once by the deadline watcher when it finds the term overdue:
 * against the person and the step, for the monthly report (000 [17], 003 [12], [13]).
 */
const violationSchema = new Schema(
  {
    /** `${tenant}:${incidentNumber}:${step}:${dueAt ms}`: the same missed term is recorded once, whoever finds it. */
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    incidentNumber: { type: Number, required: true },
    step: { type: String, required: true },
    /** The step in Russian, as the report names it. */
    stepLabel: { type: String, required: true },
    /** Staff code of who answers for the term; null when it is the curators' (triage, review, publish). */
    responsible: { type: String, default: null },
    /** The department holding the incident when the term was missed (001 [21]), or null before routing. */
    department: { type: String, default: null },
    dueAt: { type: Date, required: true },
    /** When the watcher found it overdue. */
    detectedAt: { type: Date, required: true },
    clause: { type: String, default: null },
  },
  { collection: 'violations', versionKey: false },
);
violationSchema.index({ tenant: 1, dueAt: 1 });

export function violationModel(connection: Connection) {
  return modelOn(connection, 'Violation', violationSchema);
}
