import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/** Atomic sequences (incident numbers per tenant), advanced with $inc. */
const counterSchema = new Schema({ _id: { type: String, required: true }, value: { type: Number, required: true } }, { collection: 'counters', versionKey: false });

export function counterModel(connection: Connection) {
  return modelOn(connection, 'Counter', counterSchema);
}
