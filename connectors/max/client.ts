import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { Bot, MaxError, type Api } from '@maxhub/max-bot-api';
import { TransportError, type ConnectorError, type Decision, type TransportFailure } from '../errors.js';
import { axiosFailure, retryAfterSecOfHeader } from '../http.js';
import { registerSecret, redactedView, redactSecrets } from '../redact.js';
import { isConnectorError, withRetries, type CallHooks, type RetryPolicy } from '../retry.js';
import { Throttle } from '../throttle.js';
import { DEFAULT_MAX_RESPONSE_BYTES, guardedAgentFor, type GuardedHttpAgent, type GuardedHttpsAgent, type ResponseLimits } from '../transport.js';
import { FileTransfer } from '../files.js';
import type { OutgoingFile } from '../attachments.js';
import { MaxApiError, decideMax } from './errors.js';

/** The library's default since MAX moved its Bot API (platform-api.max.ru is deprecated). */
export const MAX_DEFAULT_BASE_URL = 'https://platform-api2.max.ru';
/** Files MAX serves are far smaller; an incoming file up to this is fetched for staff. */
export const MAX_MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

export interface MaxClientOptions {
  readonly token: string;
  /** Default `https://platform-api2.max.ru`; the sandbox passes its own (the library's `clientOptions.baseUrl`). */
  readonly baseUrl?: string;
  /** Idle-socket timeout beyond the long-poll wait. */
  readonly timeoutMs?: number;
  /** Size and total-time caps of every response (transport.ts); defaults below. */
  readonly limits?: Partial<ResponseLimits>;
  /** GET /updates `timeout`: MAX holds the request this long when nothing is pending (0…90). */
  readonly longPollWaitSec?: number;
  readonly throttle?: Throttle;
  readonly retry?: Omit<RetryPolicy, 'decide'>;
}

/** "The maximum number of requests per second on platform-api.max.ru is 30 rps" (MAX's FAQ); no per-chat figure is published. */
export function maxThrottle(): Throttle {
  return new Throttle({ overall: { calls: 30, intervalMs: 1_000 } });
}

/** What the wire said about one exchange that the library does not pass on: the wait hint. */
interface Exchange {
  retryAfterSec?: number;
}

/** A failure of our fetch, turned into a transport error once the call's method is known. */
class WireFailure extends Error {
  override readonly name = 'WireFailure';
  constructor(readonly toError: (method: string) => ConnectorError) {
    super('the request to MAX failed');
  }
}

/**
 * MAX through its official library, @maxhub/max-bot-api: the library builds each request
 * (path, query, JSON body, the token in `Authorization`) and reads MAX's error envelope.
 * Two things it cannot do are done here, through its documented `clientOptions.fetch`:
 * its default transport is Node's global fetch (undici), which neither the guarded agent
 * (transport.ts: response size and total time) nor nock 13 reaches, so requests go through
 * axios with the guarded agent instead; and it drops the HTTP headers, so `Retry-After`
 * is read on the way. The retries, the pacing and the decisions stay ours: the library's
 * own retry of a send (on attachment.not.ready, with real sleeps) is not used.
 */
export class MaxClient {
  readonly api: Api;
  private readonly http: AxiosInstance;
  private readonly agent: GuardedHttpAgent | GuardedHttpsAgent;
  private readonly files: FileTransfer;
  private readonly throttle: Throttle;
  private readonly exchange = new AsyncLocalStorage<Exchange>();
  /** Requests sent, retries included, for the benchmark and the batch's count. */
  requestCount = 0;

  constructor(private readonly options: MaxClientOptions) {
    registerSecret(options.token);
    this.throttle = options.throttle ?? maxThrottle();
    const baseUrl = options.baseUrl ?? MAX_DEFAULT_BASE_URL;
    const idleMs = (options.timeoutMs ?? 10_000) + this.longPollWaitSec * 1000;
    // As for Telegram: the whole exchange gets the long-poll wait plus two idle timeouts.
    this.agent = guardedAgentFor(baseUrl, { maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES, totalTimeoutMs: idleMs + (options.timeoutMs ?? 10_000), ...options.limits });
    this.files = new FileTransfer({
      network: 'max', maxDownloadBytes: MAX_MAX_DOWNLOAD_BYTES, decide: decideMax,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });
    this.http = axios.create({
      timeout: idleMs,
      httpAgent: this.agent, httpsAgent: this.agent,
      // Status and body are the library's to judge, as with its own fetch.
      validateStatus: () => true,
      responseType: 'arraybuffer',
      maxRedirects: 0,
    });
    // The library resolves each method against the base (`new URL('updates', base)`): a base
    // with a path (the sandbox's /max) keeps it only with a trailing slash.
    this.api = new Bot(options.token, { clientOptions: { baseUrl: baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, fetch: (input, init) => this.fetch(input, init) } }).api;
  }

  get longPollWaitSec(): number {
    return this.options.longPollWaitSec ?? 25;
  }

  /** The API's base URL: its host also serves the sandbox's files. */
  get baseUrl(): string {
    return this.options.baseUrl ?? MAX_DEFAULT_BASE_URL;
  }

  /** Closes the kept-alive sockets (tests, the benchmark, a worker shutting down). */
  close(): void {
    this.agent.destroy();
    this.files.close();
  }

  [inspect.custom](): string {
    return `MaxClient { token: ${redactedView(this.options.token)} }`;
  }

  /**
   * One Bot API call with throttling and retries. `decide` may be narrowed by the
   * caller: a send must not be repeated after a timeout. `hooks.beforeRequest` runs in
   * the throttle's slot (the publish attempt is recorded there).
   */
  call<T>(method: string, invoke: (api: Api) => Promise<T>, decide: (error: ConnectorError) => Decision = decideMax, hooks: CallHooks = {}): Promise<T> {
    return withRetries(() => this.throttle.run(async () => {
      await hooks.beforeRequest?.();
      return this.once(method, invoke);
    }), { ...this.options.retry, decide });
  }

  /** A file to the upload URL POST /uploads named, as the multipart part `data`; the host's answer (JSON, or text for a video). */
  upload(uploadUrl: string, file: OutgoingFile): Promise<unknown> {
    return this.throttle.run(() => this.files.upload(uploadUrl, [{ field: 'data', file }], 'text'));
  }

  /** An incoming file from MAX's file hosts. */
  download(url: string, allowedHosts: readonly string[]): Promise<{ data: Buffer; contentType: string | undefined }> {
    return this.files.download(url, allowedHosts);
  }

  private async once<T>(method: string, invoke: (api: Api) => Promise<T>): Promise<T> {
    this.requestCount += 1;
    const exchange: Exchange = {};
    try {
      return await this.exchange.run(exchange, () => invoke(this.api));
    } catch (error) {
      throw maxFailure(method, error, exchange);
    }
  }

  /** The library's `fetch`, over axios and the guarded agent; a response as the fetch API gives it. */
  private async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const exchange = this.exchange.getStore();
    let response: AxiosResponse<ArrayBuffer>;
    try {
      response = await this.http.request<ArrayBuffer>({
        url: input instanceof Request ? input.url : String(input),
        method: init?.method ?? 'GET',
        headers: { ...(init?.headers as Record<string, string> | undefined) },
        ...(typeof init?.body === 'string' ? { data: init.body } : {}),
      });
    } catch (error) {
      throw new WireFailure((method) => axiosFailure('max', method, error));
    }
    const { status } = response;
    const retryAfter: unknown = response.headers['retry-after'];
    if (exchange !== undefined && typeof retryAfter === 'string') {
      const sec = retryAfterSecOfHeader(retryAfter, Date.now());
      if (sec !== undefined) exchange.retryAfterSec = sec;
    }
    const body = Buffer.from(response.data);
    if (status < 200 || status > 599) throw new WireFailure((method) => new TransportError('max', method, 'http-status', `status ${status}`, status));
    // The library hands a 200 whose body is not JSON back as if it were the answer; a
    // send that got one went out, so it must read as a broken answer, not as success.
    if (status >= 200 && status < 300 && !isJson(body)) throw new WireFailure((method) => new TransportError('max', method, 'malformed-body', 'body is not JSON', status));
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) headers.set(name, value.join(', '));
    }
    return new Response(status === 204 || status === 205 ? null : body, { status, headers });
  }
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The library's failures as our two error kinds, here and nowhere else: MaxError with
 * MAX's envelope is an API error; its `unexpected.response` (a body that is not JSON: a
 * proxy's 502 page) and our wire failures are transport errors.
 */
export function maxFailure(method: string, error: unknown, exchange: Exchange = {}): ConnectorError {
  if (error instanceof WireFailure) return error.toError(method);
  if (isConnectorError(error)) return error;
  if (error instanceof MaxError) {
    // `code` and `description` read the envelope as it came; a JSON body that is no object (null) has neither.
    const code = fieldOf(() => error.code);
    const description = fieldOf(() => error.description);
    const key = typeof code === 'string' ? code : '';
    const message = typeof description === 'string' ? description : '';
    if (key === 'unexpected.response') {
      const failure: TransportFailure = error.status >= 400 ? 'http-status' : 'malformed-body';
      return new TransportError('max', method, failure, 'body is not JSON', error.status, exchange.retryAfterSec);
    }
    return new MaxApiError(method, error.status, key, message, exchange.retryAfterSec);
  }
  return new TransportError('max', method, 'other', redactSecrets(error instanceof Error ? error.message : String(error)));
}

function fieldOf(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}
