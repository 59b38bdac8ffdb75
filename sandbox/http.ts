import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Query string, form body and JSON body merged, as the real APIs accept either. */
export function paramsOf(url: URL, req: IncomingMessage, body: string): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if (body === '') return params;
  if (type.includes('application/json')) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const [key, value] of Object.entries(parsed)) params[key] = typeof value === 'string' ? value : JSON.stringify(value);
  } else {
    for (const [key, value] of new URLSearchParams(body)) params[key] = value;
  }
  return params;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** OK writes dates as "yyyy-MM-dd HH:mm:ss" in Moscow time. */
export function moscowDate(ms: number): string {
  return new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
