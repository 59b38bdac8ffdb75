import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/** An item the connector could not normalize: kept aside for a developer, never lost. */
const malformedPayloadSchema = new Schema(
  {
    tenant: { type: String, required: true },
    network: { type: String, required: true },
    account: { type: String, required: true },
    problem: { type: String, required: true },
    payload: { type: Schema.Types.Mixed },
    at: { type: Date, required: true },
  },
  { collection: 'malformedPayloads', minimize: false },
);
malformedPayloadSchema.index({ at: 1 });

export function malformedPayloadModel(connection: Connection) {
  return modelOn(connection, 'MalformedPayload', malformedPayloadSchema);
}
