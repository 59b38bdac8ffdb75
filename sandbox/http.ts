import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A file part of a multipart request, as the networks' upload endpoints receive it. */
export interface UploadedPart {
  readonly field: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface RequestParams {
  readonly params: Record<string, string>;
  readonly files: readonly UploadedPart[];
}

/**
 * Query string, form body, JSON body and multipart body merged, as the real APIs accept
 * either. Multipart is parsed by Node's own fetch implementation (undici's Response).
 */
export async function paramsOf(url: URL, req: IncomingMessage, body: Buffer): Promise<RequestParams> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  const files: UploadedPart[] = [];
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return { params, files };
  if (type.includes('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    for (const [field, value] of form) {
      if (typeof value === 'string') params[field] = value;
      else files.push({ field, fileName: value.name, contentType: value.type || 'application/octet-stream', data: Buffer.from(await value.arrayBuffer()) });
    }
  } else if (type.includes('application/json')) {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(parsed)) params[key] = typeof value === 'string' ? value : JSON.stringify(value);
  } else {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = value;
  }
  return { params, files };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const hostile = hostileAnswers.get(res);
  if (hostile !== undefined) return hostile(status, text, headers);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * A response the sandbox's hostile switches took over (a trickled body): sendJson hands
 * the answer to it instead of writing it at once.
 */
export const hostileAnswers = new WeakMap<ServerResponse, (status: number, text: string, headers: Record<string, string>) => void>();

/** OK writes dates as "yyyy-MM-dd HH:mm:ss" in Moscow time. */
export function moscowDate(ms: number): string {
  return new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
