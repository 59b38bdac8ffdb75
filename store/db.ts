import type { Connection, mongo } from 'mongoose';

/**
 * The store's own handle on the database: only files in store/ see it. Everything outside
 * store/ works through the port (store/port.ts), which speaks domain types only (STYLE 6).
 */
export interface Db {
  readonly connection: Connection;
  readonly dbName: string;
}

/** The driver's collection: every hot path filters by `_id` or by exactly the keys of a unique index. */
export function collection<T extends mongo.Document = mongo.Document>(db: Db, name: string): mongo.Collection<T> {
  return db.connection.db!.collection<T>(name);
}

export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === DUPLICATE_KEY;
}

/** The write errors of an unordered bulk insert: mongo-java-server and MongoDB spell them differently. */
export function writeErrorsOf(error: unknown): Array<{ code?: number; index?: number }> {
  type WriteError = { code?: number; index?: number; err?: { code?: number; index?: number } };
  const bulk = error as { writeErrors?: WriteError[] | WriteError };
  const list: WriteError[] = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : bulk.writeErrors ? [bulk.writeErrors] : [];
  return list.map((e) => ({ code: e.code ?? e.err?.code, index: e.index ?? e.err?.index }));
}
