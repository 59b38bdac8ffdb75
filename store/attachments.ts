import { createHash } from 'node:crypto';
import { collection, type Db } from './db.js';
import type { AttachmentRepository, StoredFile } from './port.js';
import { findIn } from './key-lists.js';

/**
 * Files staff attach to an answer (000 [16], 002 [11], 003 [8]: photos and videos of the work
 * done), kept in the store — not on one machine's disk, since publishers on several machines
 * share the work — in chunks under the 16 MiB document limit, keyed by their content: the
 * same photo attached twice is stored once. A draft names a file `attachment:<id>`.
 */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Telegram bots download files of up to 20 MB; a larger one is refused with a clear message. */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
const PREFIX = 'attachment:';

export class AttachmentTooLarge extends Error {
  override readonly name = 'AttachmentTooLarge';
  readonly retryable = false;
  constructor(size: number) {
    super(`Файл слишком большой: ${Math.round(size / 1024 / 1024)} МБ (не более ${MAX_ATTACHMENT_BYTES / 1024 / 1024} МБ)`);
  }
}

export async function saveAttachment(db: Db, tenant: string, file: Omit<StoredFile, 'ref' | 'size'>, now: Date): Promise<string> {
  if (file.data.length > MAX_ATTACHMENT_BYTES) throw new AttachmentTooLarge(file.data.length);
  const id = createHash('sha256').update(file.data).digest('hex').slice(0, 40);
  const chunks = Math.max(1, Math.ceil(file.data.length / CHUNK_BYTES));
  // The chunks first, then the description that names them: a crash between leaves chunks nobody names.
  for (let n = 0; n < chunks; n++) {
    await collection(db, 'attachmentChunks').updateOne(
      { _id: `${id}:${n}` as never },
      { $setOnInsert: { data: file.data.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES) } },
      { upsert: true },
    );
  }
  await collection(db, 'attachments').updateOne(
    { _id: id as never },
    { $setOnInsert: { tenant, kind: file.kind, fileName: file.fileName, contentType: file.contentType, size: file.data.length, chunks, createdAt: now } },
    { upsert: true },
  );
  return `${PREFIX}${id}`;
}

export function isStoredRef(ref: string): boolean {
  return ref.startsWith(PREFIX);
}

export async function loadAttachment(db: Db, ref: string): Promise<StoredFile | null> {
  if (!isStoredRef(ref)) return null;
  const id = ref.slice(PREFIX.length);
  const meta = await collection(db, 'attachments').findOne({ _id: id as never });
  if (!meta) return null;
  const ids = Array.from({ length: meta.chunks as number }, (_, n) => `${id}:${n}`);
  const parts = await findIn(collection(db, 'attachmentChunks'), '_id', ids);
  // The driver hands binary fields back as BSON Binary, whose `buffer` holds the bytes.
  const byId = new Map(parts.map((p) => [String(p._id), p.data as unknown]));
  const buffers: Buffer[] = [];
  for (const chunkId of ids) {
    const part = byId.get(chunkId);
    if (!part) return null;
    buffers.push(Buffer.isBuffer(part) ? part : Buffer.from((part as { buffer: Uint8Array }).buffer));
  }
  return { ref, kind: meta.kind as StoredFile['kind'], fileName: meta.fileName as string, contentType: meta.contentType as string, size: meta.size as number, data: Buffer.concat(buffers) };
}

export function attachmentRepositoryOf(db: Db): AttachmentRepository {
  return {
    save: (tenant, file, now) => saveAttachment(db, tenant, file, now),
    load: (ref) => loadAttachment(db, ref),
  };
}
