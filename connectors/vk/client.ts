import type { Agent as HttpsAgent } from 'node:https';
import { inspect } from 'node:util';
import axios, { type AxiosInstance } from 'axios';
import { API, APIRequest } from 'vk-io';
import { ApiError, PERMANENT, TransportError, transportFailureOf, type ConnectorError } from '../errors.js';
import { axiosFailure } from '../http.js';
import { registerSecret, redactedView } from '../redact.js';
import { withRetries, type RetryPolicy } from '../retry.js';
import { Throttle } from '../throttle.js';
import { DEFAULT_MAX_RESPONSE_BYTES, guardedAgentFor, type GuardedHttpAgent, type GuardedHttpsAgent, type ResponseLimits } from '../transport.js';
import type { OutgoingFile } from '../attachments.js';
import { FileTransfer } from '../files.js';
import { GaveUp } from '../retry.js';
import { decideVk } from './errors.js';

export const VK_API_VERSION = '5.199';
/** A photo VK serves is far smaller; a document up to this is fetched for staff. */
export const VK_MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

export interface VkClientOptions {
  readonly token: string;
  /** `community` tokens may make 20 requests/s, user and service tokens 3/s. */
  readonly tokenKind: 'community' | 'user' | 'service';
  /** Default `https://api.vk.ru/method`; the sandbox passes its own. */
  readonly apiBaseUrl?: string;
  /** Idle-socket timeout of a method call; vk-io holds a call (body included) to it too. */
  readonly timeoutMs?: number;
  /** Size and total-time caps of every response (transport.ts); defaults below. */
  readonly limits?: Partial<ResponseLimits>;
  readonly throttle?: Throttle;
  readonly retry?: Omit<RetryPolicy, 'decide'>;
}

interface VkEnvelope {
  response?: unknown;
  error?: { error_code?: unknown; error_msg?: unknown };
}

/**
 * VK methods through vk-io's APIRequest: it builds the request the way VK expects
 * (token, version, form body, agent, timeout), while the decisions, the retries and the
 * pacing stay ours. vk-io's own worker would retry error 6 forever and sleep on
 * transport errors by itself, which would hide both from the decision function.
 */
export class VkClient {
  private readonly api: API;
  private readonly throttle: Throttle;
  private readonly http: AxiosInstance;
  private readonly agent: GuardedHttpAgent | GuardedHttpsAgent;
  private readonly files: FileTransfer;
  /** Requests sent, retries included, for the benchmark. */
  requestCount = 0;

  constructor(private readonly options: VkClientOptions) {
    registerSecret(options.token);
    const limitPerSec = options.tokenKind === 'community' ? 20 : 3;
    this.throttle = options.throttle ?? new Throttle({ overall: { calls: limitPerSec, intervalMs: 1_000 } });
    // The Long Poll check shares the agent: its total time covers the longest wait VK holds it (25 s).
    this.agent = guardedAgentFor(options.apiBaseUrl, {
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES, totalTimeoutMs: (options.timeoutMs ?? 10_000) + 35_000, ...options.limits,
    });
    const agent = this.agent;
    this.api = new API({
      token: options.token,
      apiVersion: VK_API_VERSION,
      apiRetryLimit: 0,
      apiTimeout: options.timeoutMs ?? 10_000,
      ...(options.apiBaseUrl === undefined ? {} : { apiBaseUrl: options.apiBaseUrl }),
      // vk-io types the option as https.Agent; node-fetch takes either, and a plain-http
      // base URL (the sandbox) needs an http one.
      agent: agent as HttpsAgent,
    });
    this.http = axios.create({
      timeout: (options.timeoutMs ?? 10_000) + 30_000,
      httpAgent: agent, httpsAgent: agent,
      validateStatus: () => true,
    });
    // Uploads and downloads go to other hosts (pu.vk.com, sun*.userapi.com), over either scheme.
    this.files = new FileTransfer({
      network: 'vk', maxDownloadBytes: VK_MAX_DOWNLOAD_BYTES, decide: decideVk,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });
  }

  /** Closes the kept-alive sockets (tests, the benchmark, a worker shutting down). */
  close(): void {
    this.agent.destroy();
    this.files.close();
  }

  /**
   * A file to the upload server a `*.get…UploadServer` method named (multipart, one part
   * `field`), answered with the JSON the matching save method takes. An `{"error": …}`
   * answer is an ApiError without a code: this file cannot go (permanent).
   */
  async upload(uploadUrl: string, field: string, file: OutgoingFile): Promise<Record<string, unknown>> {
    const body = await this.throttle.run(() => this.files.upload(uploadUrl, [{ field, file }]));
    if (body === null || typeof body !== 'object') throw new GaveUp(new TransportError('vk', 'upload', 'malformed-body', 'upload answer is not an object'), PERMANENT, 0);
    const { error } = body as { error?: unknown };
    if (error !== undefined) throw new GaveUp(new ApiError('vk', 'upload', 0, typeof error === 'string' ? error : JSON.stringify(error).slice(0, 200)), PERMANENT, 0);
    return body as Record<string, unknown>;
  }

  /** An attachment's file from VK's file hosts; a redirect elsewhere is refused. */
  download(url: string, allowedHosts: readonly string[]): Promise<{ data: Buffer; contentType: string | undefined }> {
    return this.files.download(url, allowedHosts);
  }

  /** The API's base URL when it is not VK's own (the sandbox): its host also serves files. */
  get baseUrl(): string | undefined {
    return this.options.apiBaseUrl;
  }

  [inspect.custom](): string {
    return `VkClient { token: ${redactedView(this.options.token)}, tokenKind: ${this.options.tokenKind} }`;
  }

  /** One method call with throttling and retries; throws GaveUp with the final decision. */
  call<T = unknown>(method: string, params: Record<string, string | number | undefined>): Promise<T> {
    return withRetries(() => this.throttle.run(() => this.once<T>(method, params)), { ...this.options.retry, decide: decideVk });
  }

  /** A single attempt, mapped into the two error kinds. */
  async once<T>(method: string, params: Record<string, string | number | undefined>): Promise<T> {
    this.requestCount += 1;
    let envelope: VkEnvelope;
    try {
      const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
      envelope = (await new APIRequest({ api: this.api, method, params: defined }).make()) as VkEnvelope;
    } catch (error) {
      throw fetchFailure(method, error);
    }
    if (envelope === null || typeof envelope !== 'object') {
      throw new TransportError('vk', method, 'malformed-body', 'response is not a JSON object');
    }
    if (envelope.error !== undefined) {
      const code = typeof envelope.error.error_code === 'number' ? envelope.error.error_code : 0;
      const description = typeof envelope.error.error_msg === 'string' ? envelope.error.error_msg : 'no error_msg';
      throw new ApiError('vk', method, code, description);
    }
    if (!('response' in envelope)) throw new TransportError('vk', method, 'malformed-body', 'neither response nor error');
    return envelope.response as T;
  }

  /** The Bots Long Poll check: a different host, plain GET, answers `{ts, updates}` or `{failed}`. */
  longPollCheck(server: string, key: string, ts: string, waitSec: number): Promise<unknown> {
    const method = 'longpoll.a_check';
    return withRetries(() => this.throttle.run(async () => {
      this.requestCount += 1;
      let response;
      try {
        response = await this.http.get(server, { params: { act: 'a_check', key, ts, wait: waitSec }, responseType: 'text', transformResponse: (body: unknown) => body });
      } catch (error) {
        throw axiosFailure('vk', method, error);
      }
      if (response.status >= 300) throw new TransportError('vk', method, 'http-status', String(response.statusText), response.status);
      try {
        return JSON.parse(String(response.data)) as unknown;
      } catch {
        throw new TransportError('vk', method, 'malformed-body', 'long poll answer is not JSON');
      }
    }), { ...this.options.retry, decide: decideVk });
  }
}

function fetchFailure(method: string, error: unknown): ConnectorError {
  const fields = (error !== null && typeof error === 'object' ? error : {}) as { type?: unknown; code?: unknown; message?: unknown };
  const detail = typeof fields.message === 'string' ? fields.message : String(error);
  // node-fetch marks its errors with `type`: aborted (our timeout), invalid-json, system.
  if (fields.type === 'aborted' || fields.type === 'request-timeout') return new TransportError('vk', method, 'timeout', detail);
  // node-fetch 3 (vk-io's) lets JSON.parse's SyntaxError through; 2 wrapped it as invalid-json.
  if (error instanceof SyntaxError || fields.type === 'invalid-json') return new TransportError('vk', method, 'malformed-body', detail);
  return new TransportError('vk', method, transportFailureOf(typeof fields.code === 'string' ? fields.code : undefined), detail);
}
