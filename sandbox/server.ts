import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { paramsOf, readBody, sendJson } from './http.js';
import { answerHostile } from './hostile.js';
import { OkSandbox } from './ok.js';
import { SANDBOX_CREDENTIALS, SANDBOX_NETWORKS, SandboxState, type RecordedPost, type SandboxNetwork, type SandboxSwitches } from './state.js';
import { TelegramSandbox } from './telegram.js';
import { VkSandbox } from './vk.js';
import { MaxSandbox } from './max.js';
import type { ScriptCategory } from './script.js';

export { SANDBOX_CREDENTIALS, type RecordedPost, type SandboxSwitches, type SandboxNetwork };

export interface SandboxOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** When set, one scripted message per network arrives every this many ms (the demo). */
  readonly emitIntervalMs?: number;
  readonly seed?: number;
}

export interface Sandbox {
  readonly url: string;
  /** The base-URL options of the three clients. */
  readonly vkApiBaseUrl: string;
  readonly telegramBaseApiUrl: string;
  readonly okBaseUrl: string;
  readonly maxBaseUrl: string;
  readonly recorded: readonly RecordedPost[];
  readonly state: SandboxState;
  emit(network: SandboxNetwork, count: number, category?: ScriptCategory): void;
  setSwitches(changes: Partial<SandboxSwitches>): SandboxSwitches;
  stop(): Promise<void>;
}

/**
 * A local server speaking the subset of the VK, Telegram and OK APIs the connectors use:
 * VK under /vk (methods at /vk/method, Long Poll at /vk/lp), Telegram under /tg
 * (/tg/bot<token>/<method>), OK under /ok (/ok/fb.do and /ok/graph/me/…), MAX under /max
 * (/max/updates, /max/messages…, its upload host at /max/upload/…), and its own control under /_sandbox (recorded posts, switches, emitting scripted messages, stats).
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = new SandboxState(options.seed);
  let url = '';
  const vk = new VkSandbox(state, () => url);
  const telegram = new TelegramSandbox(state);
  const ok = new OkSandbox(state, () => url);
  const max = new MaxSandbox(state, () => url);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', url);
    const body = await readBody(req);
    const path = requestUrl.pathname;
    const api = apiRequest(path);
    if (api !== null && answerHostile(state, api.network, api.method, res)) return;
    let match: RegExpExecArray | null;
    if ((match = /^\/vk\/method\/([\w.]+)$/.exec(path)) !== null) return vk.handleMethod(match[1]!, (await paramsOf(requestUrl, req, body)).params, res);
    if (path.startsWith('/vk/lp/')) return vk.handleLongPoll(requestUrl, req, res);
    if ((match = /^\/vk\/upload\/(photo|doc)$/.exec(path)) !== null) return vk.handleUpload(match[1] as 'photo' | 'doc', (await paramsOf(requestUrl, req, body)).files, res);
    if ((match = /^\/tg\/file\/bot([^/]+)\/(.+)$/.exec(path)) !== null) return telegram.handleFile(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!), res);
    if ((match = /^\/tg\/bot([^/]+)\/(\w+)$/.exec(path)) !== null) {
      const { params, files } = await paramsOf(requestUrl, req, body);
      return telegram.handle(decodeURIComponent(match[1]!), match[2]!, params, files, res);
    }
    if (path === '/ok/fb.do' || path.startsWith('/ok/api/')) {
      const { params } = await paramsOf(requestUrl, req, body);
      if (path.startsWith('/ok/api/')) params.method = path.slice('/ok/api/'.length).replace('/', '.');
      return ok.handleRest(params, res);
    }
    if (path === '/ok/upload') return ok.handleUpload((await paramsOf(requestUrl, req, body)).files, res);
    if (path.startsWith('/ok/graph/')) return ok.handleGraph(req.method ?? 'GET', path.slice(3), Object.fromEntries(requestUrl.searchParams), req.method === 'POST' ? body.toString('utf8') : '', res);
    if (path.startsWith('/max/')) {
      const files = path.startsWith('/max/upload/') ? (await paramsOf(requestUrl, req, body)).files : [];
      return max.handle(req.method ?? 'GET', path.slice('/max'.length), requestUrl.searchParams, req.headers.authorization, path.startsWith('/max/upload/') ? '' : body.toString('utf8'), files, res);
    }
    return control(req, requestUrl, body.toString('utf8'), res);
  }

  function control(req: IncomingMessage, requestUrl: URL, body: string, res: ServerResponse): void {
    const path = requestUrl.pathname;
    if (path === '/_sandbox/recorded' && req.method === 'GET') {
      const network = requestUrl.searchParams.get('network');
      const posts = state.recorded.filter((post) => network === null || post.network === network);
      if (requestUrl.searchParams.get('format') === 'html') return sendHtml(res, recordedPage(posts));
      return sendJson(res, 200, { posts });
    }
    const file = /^\/_sandbox\/files\/(\w+)$/.exec(path);
    if (file !== null && req.method === 'GET') {
      const kept = state.files.get(file[1]!);
      if (kept === undefined) return sendJson(res, 404, { error: `no file ${file[1]}` });
      res.writeHead(200, { 'content-type': kept.contentType, 'content-length': kept.data.length, 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(kept.fileName)}` });
      res.end(kept.data);
      return;
    }
    if (path === '/_sandbox/switches') {
      if (req.method === 'POST') state.switches = { ...state.switches, ...(JSON.parse(body || '{}') as Partial<SandboxSwitches>) };
      return sendJson(res, 200, state.switches);
    }
    if (path === '/_sandbox/emit' && req.method === 'POST') {
      const request = JSON.parse(body || '{}') as { network?: SandboxNetwork; count?: number; category?: ScriptCategory };
      const networks: SandboxNetwork[] = request.network === undefined ? [...SANDBOX_NETWORKS] : [request.network];
      for (const network of networks) state.emit(network, request.count ?? 1, request.category);
      return sendJson(res, 200, { emitted: networks.length * (request.count ?? 1) });
    }
    if (path === '/_sandbox/stats' && req.method === 'GET') {
      return sendJson(res, 200, { requests: state.requests, byMethod: Object.fromEntries(state.requestsByMethod), recorded: state.recorded.length, hostile: state.hostileAnswers });
    }
    return sendJson(res, 404, { error: `no sandbox route ${req.method} ${path}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  const timer = options.emitIntervalMs === undefined ? undefined : setInterval(() => {
    for (const network of SANDBOX_NETWORKS) state.emit(network, 1);
  }, options.emitIntervalMs);

  return {
    url,
    vkApiBaseUrl: `${url}/vk/method`,
    telegramBaseApiUrl: `${url}/tg`,
    okBaseUrl: `${url}/ok`,
    maxBaseUrl: `${url}/max`,
    recorded: state.recorded,
    state,
    emit: (network, count, category) => { state.emit(network, count, category); },
    setSwitches: (changes) => { state.switches = { ...state.switches, ...changes }; return state.switches; },
    stop: async () => {
      if (timer !== undefined) clearInterval(timer);
      state.wakeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' }, host: { type: 'string', default: '127.0.0.1' }, 'emit-interval-ms': { type: 'string' }, seed: { type: 'string' } } });
  const emitIntervalMs = values['emit-interval-ms'] === undefined ? undefined : Number(values['emit-interval-ms']);
  const sandbox = await startSandbox({
    port: Number(values.port), host: values.host,
    ...(emitIntervalMs === undefined ? {} : { emitIntervalMs }),
    ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
  });
  process.stdout.write(`${JSON.stringify({ sandbox: sandbox.url, vkApiBaseUrl: sandbox.vkApiBaseUrl, telegramBaseApiUrl: sandbox.telegramBaseApiUrl, okBaseUrl: sandbox.okBaseUrl, maxBaseUrl: sandbox.maxBaseUrl })}\n`);
  const shutdown = (): void => { sandbox.stop().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

/** The network and method of an API request, which the hostile switches act on; null for uploads, files and control. */
function apiRequest(path: string): { network: SandboxNetwork; method: string } | null {
  let match: RegExpExecArray | null;
  if ((match = /^\/vk\/method\/([\w.]+)$/.exec(path)) !== null) return { network: 'vk', method: match[1]! };
  if (path.startsWith('/vk/lp/')) return { network: 'vk', method: 'longpoll.a_check' };
  if ((match = /^\/tg\/bot[^/]+\/(\w+)$/.exec(path)) !== null) return { network: 'telegram', method: match[1]! };
  if (path === '/ok/fb.do' || path.startsWith('/ok/api/') || path.startsWith('/ok/graph/')) return { network: 'ok', method: path.slice(4) };
  if (path.startsWith('/max/') && !path.startsWith('/max/upload/')) return { network: 'max', method: path.slice(5).replace(/mid\.[\w-]+/g, '{messageId}') };
  return null;
}

function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** What was published, as a person checks it: each post's text, and its photos shown, videos and documents linked. */
function recordedPage(posts: readonly RecordedPost[]): string {
  const items = posts.map((post) => {
    const files = (post.attachments ?? []).map((file) => (file.contentType.startsWith('image/')
      ? `<a href="${file.url}"><img src="${file.url}" alt="${escapeHtml(file.fileName)}" style="max-width:240px;max-height:240px"></a>`
      : `<a href="${file.url}">${file.kind === 'video' ? 'Видео' : 'Документ'}: ${escapeHtml(file.fileName)} (${file.bytes} байт)</a>`)).join(' ');
    return `<li><p><b>${post.network}</b> ${escapeHtml(post.method)} → ${escapeHtml(post.target)} <small>${escapeHtml(post.at)}</small></p><p>${escapeHtml(post.text).replace(/\n/g, '<br>')}</p>${files === '' ? '' : `<p>${files}</p>`}</li>`;
  }).join('\n');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Песочница: отправленные ответы</title></head><body><h1>Отправленные ответы (${posts.length})</h1><ol>${items}</ol></body></html>`;
}
