import { Agent as HttpAgent, type AgentOptions, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import type { Socket } from 'node:net';

/**
 * Limits on one HTTP exchange, whatever client library makes it. A 600 MB body used to
 * crash-loop a connector (out of memory), and a body trickled at 1 byte/s stalled it
 * silently: the libraries' timeouts are idle-socket timeouts, which a trickle resets.
 */
export interface ResponseLimits {
  /** Bytes read from the socket for one response, headers included. */
  readonly maxResponseBytes: number;
  /** From the request's start until its response has been read to the end. */
  readonly totalTimeoutMs: number;
  /**
   * An upload (a photo, a video) gets this much more time per byte it sends, at this
   * rate, so a large file on a slow uplink is not cut off by the same deadline as a poll.
   */
  readonly minUploadBytesPerSec?: number;
}

/**
 * 16 MiB: the largest JSON any of the three APIs sends a connector is a page of 100
 * updates or comments, well under a megabyte; Telegram serves bot downloads up to 20 MB,
 * for which `fetchAttachment` passes its own larger cap.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** 256 KiB/s: a slow mobile uplink, for the upload allowance. */
export const DEFAULT_MIN_UPLOAD_BYTES_PER_SEC = 256 * 1024;

/**
 * The codes the guard puts on the error it destroys a request with, shaped like Node's
 * socket codes so each library passes them on as it does ECONNRESET (node-fetch keeps
 * `code`; node-telegram-bot-api keeps only the message, which starts with the code).
 * transportFailureOf maps them.
 */
export const RESPONSE_TOO_LARGE = 'ERESPONSETOOLARGE';
export const RESPONSE_DEADLINE = 'ERESPONSEDEADLINE';

export class ResponseLimitError extends Error {
  override readonly name = 'ResponseLimitError';
  constructor(readonly code: typeof RESPONSE_TOO_LARGE | typeof RESPONSE_DEADLINE, detail: string) {
    super(`${code}: ${detail}`);
  }
}

/**
 * axios reports a response cut short as "stream has been aborted" whatever the cause, but
 * hands back the request: the guard's own error is found through it.
 */
const failures = new WeakMap<object, ResponseLimitError>();
export function limitErrorOf(request: unknown): ResponseLimitError | undefined {
  return request !== null && typeof request === 'object' ? failures.get(request) : undefined;
}

/**
 * Puts the limits on one request: a timer for the whole exchange, and a count of the
 * bytes the socket delivers while the request owns it (the HTTP parser already reads the
 * socket in flowing mode, so one more 'data' listener changes nothing for the library).
 * Either limit destroys the request with a ResponseLimitError, which each library passes
 * on as its own transport error, keeping the code.
 */
export function guardRequest(req: ClientRequest, limits: ResponseLimits): void {
  const uploadBytes = Number(req.getHeader('content-length') ?? 0);
  const uploadAllowanceMs = Number.isFinite(uploadBytes) && uploadBytes > 0
    ? Math.ceil(uploadBytes / (limits.minUploadBytesPerSec ?? DEFAULT_MIN_UPLOAD_BYTES_PER_SEC) * 1000) : 0;
  const deadlineMs = limits.totalTimeoutMs + uploadAllowanceMs;
  let received = 0;
  let socket: Socket | undefined;
  let response: IncomingMessage | undefined;
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > limits.maxResponseBytes) fail(new ResponseLimitError(RESPONSE_TOO_LARGE, `response larger than ${limits.maxResponseBytes} bytes`));
  };
  const timer = setTimeout(() => fail(new ResponseLimitError(RESPONSE_DEADLINE, `response not complete within ${deadlineMs} ms`)), deadlineMs);
  const release = (): void => {
    clearTimeout(timer);
    socket?.removeListener('data', onData);
    socket = undefined;
  };
  function fail(error: ResponseLimitError): void {
    release();
    failures.set(req, error);
    // Once the body is being read, the libraries read it from the response stream: the
    // error must surface there (node-fetch would otherwise report only "premature close").
    if (response !== undefined) response.destroy(error);
    else req.destroy(error);
  }
  req.once('socket', (assigned: Socket) => {
    socket = assigned;
    assigned.on('data', onData);
  });
  req.once('response', (res: IncomingMessage) => {
    response = res;
    // A declared length over the cap is refused before a byte of the body is read.
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
      fail(new ResponseLimitError(RESPONSE_TOO_LARGE, `response of ${declared} bytes declared, larger than ${limits.maxResponseBytes}`));
      return;
    }
    res.once('end', release);
    res.once('close', release);
  });
  req.once('close', release);
  req.once('error', release);
}

interface GuardedAgent {
  readonly limits: ResponseLimits;
}

/**
 * An http.Agent whose every request is guarded. The three client libraries take an
 * agent (vk-io and node-fetch, axios, node-telegram-bot-api's `request`), so the limits
 * hold for all of them in one place. `addRequest` is where Node hands each request to
 * the agent, before it is written.
 */
export class GuardedHttpAgent extends HttpAgent implements GuardedAgent {
  constructor(readonly limits: ResponseLimits, options: AgentOptions = { keepAlive: true }) {
    super(options);
  }
}

export class GuardedHttpsAgent extends HttpsAgent implements GuardedAgent {
  constructor(readonly limits: ResponseLimits, options: HttpsAgentOptions = { keepAlive: true }) {
    super(options);
  }
}

for (const AgentClass of [GuardedHttpAgent, GuardedHttpsAgent]) {
  const prototype = AgentClass.prototype as unknown as { addRequest(req: ClientRequest, options: unknown): void; limits: ResponseLimits };
  // Not in @types/node, but stable since Node 0.x: every request through an agent passes here.
  const parent = Object.getPrototypeOf(prototype) as { addRequest(this: unknown, req: ClientRequest, options: unknown): void };
  prototype.addRequest = function addRequest(this: GuardedAgent, req: ClientRequest, options: unknown): void {
    guardRequest(req, this.limits);
    parent.addRequest.call(this, req, options);
  };
}

/** The guarded agent for a base URL: plain http for the sandbox or a local proxy, https otherwise. */
export function guardedAgentFor(baseUrl: string | undefined, limits: ResponseLimits): GuardedHttpAgent | GuardedHttpsAgent {
  return baseUrl?.startsWith('http:') === true ? new GuardedHttpAgent(limits) : new GuardedHttpsAgent(limits);
}
