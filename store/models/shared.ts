import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * A lease on a document: who holds it, until when, and a token that every renewal and
 * completion must present (STYLE 8), so that a worker whose lease expired and was taken
 * over cannot overwrite the new holder's work.
 */
export const leaseSchema = new Schema(
  {
    owner: { type: String, required: true },
    token: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { _id: false },
);

/** One entry of a document's story: who moved it from which state to which, and why. */
export const historyEntrySchema = new Schema(
  {
    who: { type: String, required: true },
    at: { type: Date, required: true },
    from: { type: String, default: null },
    to: { type: String, required: true },
    why: { type: String, default: '' },
  },
  { _id: false },
);

/** The model on this connection, created on first use (tests open many connections). */
export function modelOn<TSchema extends Schema>(connection: Connection, name: string, schema: TSchema): Model<InferSchemaType<TSchema>> {
  return (connection.models[name] as Model<InferSchemaType<TSchema>> | undefined) ?? connection.model<InferSchemaType<TSchema>>(name, schema as never);
}
