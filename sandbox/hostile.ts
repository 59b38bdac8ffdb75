import type { ServerResponse } from 'node:http';
import { hostileAnswers, sendJson } from './http.js';
import type { SandboxNetwork, SandboxState } from './state.js';

/**
 * The hostile switches (state.ts) acted out on one API request, before its network's
 * handler runs. Returns true when the request has been answered here.
 */
export function answerHostile(state: SandboxState, network: SandboxNetwork, method: string, res: ServerResponse): boolean {
  switch (state.hostileAnswer(network)) {
    case 'huge':
      streamHugeBody(res, state.switches.hugeBodyBytes);
      return true;
    case 'trickle':
      hostileAnswers.set(res, (status, text, headers) => trickle(res, status, text, headers, state.switches.trickleBytesPerSec));
      return false;
    case 'rate-limit':
      floodAnswer(state, network, method, res);
      return true;
    case 'server-error': {
      const page = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
      res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
      res.end(page);
      return true;
    }
    case null:
      return false;
  }
}

/**
 * The network's own "too many requests", with the wait `retryAfterSec` asks for: Telegram
 * 429 with parameters.retry_after, OK an HTTP 429 with Retry-After (or error 8 without a
 * wait), VK error 6 (VK names no wait), MAX 429 too.many.requests (with Retry-After when set).
 */
export function floodAnswer(state: SandboxState, network: SandboxNetwork, method: string, res: ServerResponse): void {
  const { retryAfterSec } = state.switches;
  switch (network) {
    case 'telegram': {
      if (retryAfterSec === 'missing') return sendJson(res, 429, { ok: false, error_code: 429, description: 'Too Many Requests' });
      const wait = retryAfterSec ?? 1;
      return sendJson(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${wait}`, parameters: { retry_after: wait } });
    }
    case 'vk':
      return sendJson(res, 200, { error: { error_code: 6, error_msg: 'Too many requests per second', request_params: [{ key: 'method', value: method }, { key: 'oauth', value: '1' }, { key: 'v', value: '5.199' }] } });
    case 'ok':
      if (typeof retryAfterSec === 'number') {
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(retryAfterSec) });
        res.end('Too Many Requests');
        return;
      }
      return sendJson(res, 200, { error_code: 8, error_msg: 'FLOOD_BLOCKED : Flood blocked', error_data: null });
    case 'max':
      return sendJson(res, 429, { code: 'too.many.requests', message: 'Too many requests' }, typeof retryAfterSec === 'number' ? { 'retry-after': String(retryAfterSec) } : {});
  }
}

/** JSON whitespace as fast as the client reads it, then an empty object; stops when the client hangs up. */
function streamHugeBody(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  let closed = false;
  res.on('close', () => { closed = true; });
  const pump = (): void => {
    while (!closed && written < bytes) {
      const part = written + chunk.length <= bytes ? chunk : chunk.subarray(0, bytes - written);
      written += part.length;
      if (!res.write(part)) { res.once('drain', pump); return; }
    }
    if (!closed) res.end('{}');
  };
  pump();
}

/** The real answer, `bytesPerSec` bytes a second; stops when the client hangs up. */
function trickle(res: ServerResponse, status: number, text: string, headers: Record<string, string>, bytesPerSec: number): void {
  const body = Buffer.from(text);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, ...headers });
  const everyMs = Math.max(1, Math.round(1000 / Math.max(bytesPerSec, 0.001)));
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed || offset >= body.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(body.subarray(offset, offset + 1));
    offset += 1;
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}
