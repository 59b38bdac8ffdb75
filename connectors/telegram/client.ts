import { inspect } from 'node:util';
import TelegramBot from 'node-telegram-bot-api';
import { FileTransfer } from '../files.js';
import { ApiError, TransportError, transportFailureOf, type ConnectorError, type Decision } from '../errors.js';
import { registerSecret, redactedView, redactSecrets } from '../redact.js';
import { withRetries, type CallHooks, type RetryPolicy } from '../retry.js';
import { Throttle, type RateLimit } from '../throttle.js';
import { DEFAULT_MAX_RESPONSE_BYTES, guardedAgentFor, type GuardedHttpAgent, type GuardedHttpsAgent, type ResponseLimits } from '../transport.js';
import { decideTelegram, retryAfterFromDescription } from './errors.js';

export interface TelegramClientOptions {
  readonly token: string;
  /** Default `https://api.telegram.org`; the sandbox passes its own (0.x option `baseApiUrl`). */
  readonly baseApiUrl?: string;
  /** The socket timeout beyond the long-poll wait. */
  readonly timeoutMs?: number;
  /** Size and total-time caps of every response (transport.ts); defaults below. */
  readonly limits?: Partial<ResponseLimits>;
  readonly longPollWaitSec?: number;
  readonly throttle?: Throttle;
  readonly retry?: Omit<RetryPolicy, 'decide'>;
}

/** getFile: "bots can download files of up to 20MB in size". */
export const TELEGRAM_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

// node-telegram-bot-api's documented opt-in (its issue 350): a Buffer sent with a file name
// and a content type is sent as it is, without guessing its type or a deprecation warning.
process.env.NTBA_FIX_350 ??= '1';

/** Bot API limits per chat: 1 message/s in a private chat, 20/min in a group (group ids are negative). */
export function telegramChatLimit(chatId: string): RateLimit {
  return chatId.startsWith('-') ? { calls: 20, intervalMs: 60_000 } : { calls: 1, intervalMs: 1_000 };
}

/** And 30 messages/s overall. */
export function telegramThrottle(): Throttle {
  return new Throttle({ overall: { calls: 30, intervalMs: 1_000 }, perKey: telegramChatLimit });
}

interface LibraryError {
  code?: unknown;
  message?: unknown;
  response?: { statusCode?: unknown; body?: unknown };
}

/**
 * node-telegram-bot-api 0.x: `request` underneath, so nock intercepts it and the agent
 * and timeout go in through its `request` option. The library throws ETELEGRAM (the
 * envelope, with the HTTP response), EPARSE (a body that is not JSON) and EFATAL (the
 * socket failed); they become our two error kinds here and nowhere else.
 */
export class TelegramClient {
  readonly bot: TelegramBot;
  private readonly agent: GuardedHttpAgent | GuardedHttpsAgent;
  private readonly files: FileTransfer;
  private readonly throttle: Throttle;
  requestCount = 0;

  constructor(private readonly options: TelegramClientOptions) {
    registerSecret(options.token);
    this.throttle = options.throttle ?? telegramThrottle();
    const timeoutMs = (options.timeoutMs ?? 10_000) + (options.longPollWaitSec ?? 25) * 1000;
    // `request`'s timeout is per idle socket; the agent holds the whole exchange to the
    // long-poll wait plus two idle timeouts.
    this.agent = guardedAgentFor(options.baseApiUrl ?? 'https://api.telegram.org', {
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES, totalTimeoutMs: timeoutMs + (options.timeoutMs ?? 10_000), ...options.limits,
    });
    this.files = new FileTransfer({
      network: 'telegram', maxDownloadBytes: TELEGRAM_MAX_DOWNLOAD_BYTES, decide: decideTelegram,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });
    this.bot = new TelegramBot(options.token, {
      polling: false,
      ...(options.baseApiUrl === undefined ? {} : { baseApiUrl: options.baseApiUrl }),
      request: { timeout: timeoutMs, agent: this.agent } as unknown as TelegramBot.ConstructorOptions['request'],
    });
  }

  /** Closes the kept-alive sockets (tests, the benchmark, a worker shutting down). */
  close(): void {
    this.agent.destroy();
    this.files.close();
  }

  /**
   * A file the Bot API's getFile named, from its file server. The URL carries the token,
   * so it stays here: the caller gets the bytes, and errors pass through the redaction.
   */
  downloadFile(filePath: string): Promise<{ data: Buffer; contentType: string | undefined }> {
    const base = this.options.baseApiUrl ?? 'https://api.telegram.org';
    return this.files.download(`${base}/file/bot${this.options.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`, null);
  }

  [inspect.custom](): string {
    return `TelegramClient { token: ${redactedView(this.options.token)} }`;
  }

  get longPollWaitSec(): number {
    return this.options.longPollWaitSec ?? 25;
  }

  /** How long a send to this chat would wait behind the ones already waiting for its window. */
  backlogMs(chatId: string): number {
    return this.throttle.backlogMs(chatId);
  }

  /**
   * One Bot API call with throttling and retries. `chatId` selects the per-chat limit.
   * `decide` may be narrowed by the caller: a send must not be repeated after a timeout.
   */
  call<T>(method: string, invoke: (bot: TelegramBot) => Promise<T>, chatId?: string, decide: (error: ConnectorError) => Decision = decideTelegram, hooks: CallHooks = {}): Promise<T> {
    return withRetries(() => this.throttle.run(async () => {
      await hooks.beforeRequest?.();
      return this.once(method, invoke);
    }, chatId), { ...this.options.retry, decide });
  }

  private async once<T>(method: string, invoke: (bot: TelegramBot) => Promise<T>): Promise<T> {
    this.requestCount += 1;
    try {
      return await invoke(this.bot);
    } catch (error) {
      throw telegramFailure(method, error);
    }
  }
}

export function telegramFailure(method: string, error: unknown): ConnectorError {
  const fields = (error !== null && typeof error === 'object' ? error : {}) as LibraryError;
  const message = redactSecrets(typeof fields.message === 'string' ? fields.message : String(error));
  const status = typeof fields.response?.statusCode === 'number' ? fields.response.statusCode : undefined;
  if (fields.code === 'ETELEGRAM') {
    const body = (fields.response?.body ?? {}) as { error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
    const code = typeof body.error_code === 'number' ? body.error_code : status ?? 0;
    const description = typeof body.description === 'string' ? body.description : message;
    const retryAfterSec = typeof body.parameters?.retry_after === 'number' ? body.parameters.retry_after : retryAfterFromDescription(description);
    return new ApiError('telegram', method, code, description, retryAfterSec, status);
  }
  if (fields.code === 'EPARSE') {
    return status !== undefined && status >= 400
      ? new TransportError('telegram', method, 'http-status', 'body is not JSON', status)
      : new TransportError('telegram', method, 'malformed-body', 'body is not JSON', status);
  }
  // EFATAL keeps only the socket error's message; its code (ECONNRESET, ETIMEDOUT) is
  // read back from it for the log. The decision is "retry" for every transport failure
  // of this kind, so nothing depends on the parse.
  const socketCode = /\b(E[A-Z]{4,}|ESOCKETTIMEDOUT)\b/.exec(message.replace(/^EFATAL: /, ''))?.[1];
  return new TransportError('telegram', method, transportFailureOf(socketCode), message);
}
