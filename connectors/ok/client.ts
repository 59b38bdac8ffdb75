import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { ApiError, TransportError, type ConnectorError } from '../errors.js';
import { registerSecret, redactedView } from '../redact.js';
import { withRetries, type CallHooks, type RetryPolicy } from '../retry.js';
import { Throttle } from '../throttle.js';
import { DEFAULT_MAX_RESPONSE_BYTES, guardedAgentFor, type GuardedHttpAgent, type GuardedHttpsAgent, type ResponseLimits } from '../transport.js';
import { axiosFailure, retryAfterSecOfHeader } from '../http.js';
import { decideOk } from './errors.js';
import { FileTransfer } from '../files.js';
import type { OutgoingFile } from '../attachments.js';

export interface OkClientOptions {
  readonly applicationKey: string;
  readonly applicationSecretKey: string;
  /** The group's access token (Bot API and REST methods on behalf of the group). */
  readonly accessToken: string;
  /** Default `https://api.ok.ru`; the sandbox passes its own. */
  readonly baseUrl?: string;
  /** Idle-socket timeout of a call. */
  readonly timeoutMs?: number;
  /** Size and total-time caps of every response (transport.ts); defaults below. */
  readonly limits?: Partial<ResponseLimits>;
  readonly throttle?: Throttle;
  readonly retry?: Omit<RetryPolicy, 'decide'>;
}

/** An image OK serves is far smaller; a file up to this is fetched for staff. */
const OK_MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

export type OkParams = Record<string, string | number | boolean | undefined>;

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * The request signature (../shared/reference/README.md): parameter names sorted, except
 * `sig` and `access_token`, `name=value` concatenated without a separator, then the
 * session secret MD5(access_token + application_secret_key), all MD5-ed, lower-case hex.
 */
export function okSignature(params: Readonly<Record<string, string>>, accessToken: string, applicationSecretKey: string): string {
  const secret = md5(accessToken + applicationSecretKey);
  const base = Object.keys(params)
    .filter((name) => name !== 'sig' && name !== 'access_token')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('');
  return md5(base + secret);
}

/**
 * OK through axios: REST methods via `fb.do` (signed) and the Bot API under
 * `/graph/me/...`. OK answers errors with HTTP 200 and `{error_code, error_msg}`.
 */
export class OkClient {
  private readonly http: AxiosInstance;
  private readonly agent: GuardedHttpAgent | GuardedHttpsAgent;
  private readonly files: FileTransfer;
  private readonly throttle: Throttle;
  requestCount = 0;

  constructor(private readonly options: OkClientOptions) {
    registerSecret(options.accessToken);
    registerSecret(options.applicationSecretKey);
    // OK publishes no per-second figure; a few calls a second per token stays below its flood block.
    this.throttle = options.throttle ?? new Throttle({ overall: { calls: 3, intervalMs: 1_000 } });
    const baseURL = options.baseUrl ?? 'https://api.ok.ru';
    // OK holds no call open (no long poll): three idle timeouts are the whole of one.
    this.agent = guardedAgentFor(baseURL, { maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES, totalTimeoutMs: 3 * (options.timeoutMs ?? 10_000), ...options.limits });
    this.files = new FileTransfer({
      network: 'ok', maxDownloadBytes: OK_MAX_DOWNLOAD_BYTES, decide: decideOk,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });
    this.http = axios.create({
      baseURL,
      timeout: options.timeoutMs ?? 10_000,
      httpAgent: this.agent, httpsAgent: this.agent,
      // Status and body are judged here, not by axios, so a 200 with an error is an ApiError.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (body: unknown) => body,
    });
  }

  /** Closes the kept-alive sockets (tests, the benchmark, a worker shutting down). */
  close(): void {
    this.agent.destroy();
    this.files.close();
  }

  /** The API's base URL (the sandbox's, in tests): its host also serves files. */
  get baseUrl(): string | undefined {
    return this.options.baseUrl;
  }

  /** Photos to the upload URL photosV2.getUploadUrl named; OK's JSON answer. */
  upload(uploadUrl: string, parts: readonly { readonly field: string; readonly file: OutgoingFile }[]): Promise<unknown> {
    return this.throttle.run(() => this.files.upload(uploadUrl, parts));
  }

  /** A chat attachment's file from OK's file hosts. */
  download(url: string, allowedHosts: readonly string[]): Promise<{ data: Buffer; contentType: string | undefined }> {
    return this.files.download(url, allowedHosts);
  }

  [inspect.custom](): string {
    return `OkClient { applicationKey: ${this.options.applicationKey}, accessToken: ${redactedView(this.options.accessToken)}, applicationSecretKey: ${redactedView(this.options.applicationSecretKey)} }`;
  }

  call<T = unknown>(method: string, params: OkParams = {}, decide: (error: ConnectorError) => ReturnType<typeof decideOk> = decideOk, hooks: CallHooks = {}): Promise<T> {
    return withRetries(() => this.throttle.run(async () => {
      await hooks.beforeRequest?.();
      return this.restOnce<T>(method, params);
    }), { ...this.options.retry, decide });
  }

  graphGet<T = unknown>(path: string, params: OkParams = {}): Promise<T> {
    return withRetries(() => this.throttle.run(() => this.graphOnce<T>('GET', path, params)), { ...this.options.retry, decide: decideOk });
  }

  graphPost<T = unknown>(path: string, body: object, decide: (error: ConnectorError) => ReturnType<typeof decideOk> = decideOk, hooks: CallHooks = {}): Promise<T> {
    return withRetries(() => this.throttle.run(async () => {
      await hooks.beforeRequest?.();
      return this.graphOnce<T>('POST', path, {}, body);
    }), { ...this.options.retry, decide });
  }

  private async restOnce<T>(method: string, params: OkParams): Promise<T> {
    const plain: Record<string, string> = { application_key: this.options.applicationKey, format: 'json', method };
    for (const [name, value] of Object.entries(params)) if (value !== undefined) plain[name] = String(value);
    const sig = okSignature(plain, this.options.accessToken, this.options.applicationSecretKey);
    const form = new URLSearchParams({ ...plain, sig, access_token: this.options.accessToken });
    return this.send<T>(method, () => this.http.post('/fb.do', form.toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
  }

  private async graphOnce<T>(verb: 'GET' | 'POST', path: string, params: OkParams, body?: object): Promise<T> {
    const query: Record<string, string> = { access_token: this.options.accessToken };
    for (const [name, value] of Object.entries(params)) if (value !== undefined) query[name] = String(value);
    const method = path.replace(/^\//, '');
    return this.send<T>(method, () => verb === 'GET'
      ? this.http.get(path, { params: query })
      : this.http.post(path, JSON.stringify(body), { params: query, headers: { 'content-type': 'application/json;charset=utf-8' } }));
  }

  private async send<T>(method: string, request: () => Promise<AxiosResponse<string>>): Promise<T> {
    this.requestCount += 1;
    let response: AxiosResponse<string>;
    try {
      response = await request();
    } catch (error) {
      throw axiosFailure('ok', method, error);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.data);
    } catch {
      if (response.status >= 400) throw new TransportError('ok', method, 'http-status', 'body is not JSON', response.status, retryAfterHeader(response));
      throw new TransportError('ok', method, 'malformed-body', 'body is not JSON', response.status);
    }
    if (body !== null && typeof body === 'object' && 'error_code' in body) {
      const { error_code: code, error_msg: message } = body as { error_code: unknown; error_msg?: unknown };
      throw new ApiError('ok', method, typeof code === 'number' ? code : Number(code), typeof message === 'string' ? message : 'no error_msg', undefined, response.status);
    }
    if (response.status >= 400) throw new TransportError('ok', method, 'http-status', 'error status without an error body', response.status, retryAfterHeader(response));
    return body as T;
  }
}

function retryAfterHeader(response: AxiosResponse): number | undefined {
  const value: unknown = response.headers['retry-after'];
  return typeof value === 'string' ? retryAfterSecOfHeader(value, Date.now()) : undefined;
}
