import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VkClient } from '../../connectors/vk/client.js';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { OkClient } from '../../connectors/ok/client.js';
import { TransportError } from '../../connectors/errors.js';
import { GaveUp } from '../../connectors/retry.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { runPollLoops, type IngestStore, type PolledAccount } from '../../connectors/poll.js';
import { unthrottled } from '../../connectors/throttle.js';
import type { ResponseLimits } from '../../connectors/transport.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { recordingSleep } from './support/fast.js';

/**
 * Point 9 of issue 12, against a real local HTTP server (nock never opens a socket, so it
 * cannot send a body slowly or a body larger than memory): a huge body and a trickled one
 * end in typed transport errors that say a retry may help, for all three client libraries.
 * The caps are small here so the test is quick; production uses 16 MiB and a total time
 * per request a little above each client's longest legitimate wait.
 */
const LIMITS: ResponseLimits = { maxResponseBytes: 256 * 1024, totalTimeoutMs: 600 };
const HUGE_BYTES = 200 * 1024 * 1024;

type Mode = 'huge' | 'declared-huge' | 'trickle' | 'normal';
let server: Server;
let base = '';
let mode: Mode = 'normal';
/** Body bytes the server managed to write for the last hostile answer. */
let bytesWritten = 0;
let normalBody = '{}';

function answer(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const current = mode;
  if (current === 'normal') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(normalBody);
    return;
  }
  if (current === 'declared-huge') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES) });
    res.write('{');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  bytesWritten = 0;
  let closed = false;
  res.on('close', () => { closed = true; });
  if (current === 'huge') {
    // JSON whitespace, streamed as fast as the client reads it, for up to 200 MB.
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = (): void => {
      while (!closed && bytesWritten < HUGE_BYTES) {
        bytesWritten += chunk.length;
        if (!res.write(chunk)) { res.once('drain', pump); return; }
      }
      if (!closed) res.end('{}');
    };
    pump();
    return;
  }
  // A valid answer, one byte every 100 ms: complete after ~4 s, unless the client gives up first.
  const body = `${' '.repeat(30)}${normalBody}`;
  const timer = setInterval(() => {
    if (closed) { clearInterval(timer); return; }
    if (bytesWritten >= body.length) { clearInterval(timer); res.end(); return; }
    res.write(body[bytesWritten]!);
    bytesWritten += 1;
  }, 100);
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** One retry, slept at once: enough to see the decision say "retry". */
function retry() {
  const { sleep, delaysMs } = recordingSleep();
  return { retry: { sleep, random: () => 0.5, backoff: { baseDelayMs: 100, maxDelayMs: 1_000, maxRetries: 1, jitter: 0 } }, delaysMs };
}

async function failure(call: () => Promise<unknown>): Promise<{ error: TransportError; retried: boolean }> {
  const caught = await call().then(() => null, (error: unknown) => error);
  expect(caught).toBeInstanceOf(GaveUp);
  const gaveUp = caught as GaveUp;
  expect(gaveUp.error).toBeInstanceOf(TransportError);
  return { error: gaveUp.error as TransportError, retried: gaveUp.retries === 1 };
}

const clients = {
  'VK (vk-io, node-fetch)': () => {
    const { retry: policy } = retry();
    const client = new VkClient({ token: 'vk1.a.hostile', tokenKind: 'community', apiBaseUrl: `${base}/method`, throttle: unthrottled(), retry: policy, limits: LIMITS });
    normalBody = '{"response":[]}';
    return { call: () => client.call('users.get', { user_ids: '1' }), close: () => client.close() };
  },
  'VK Long Poll (axios)': () => {
    const { retry: policy } = retry();
    const client = new VkClient({ token: 'vk1.a.hostile', tokenKind: 'community', apiBaseUrl: `${base}/method`, throttle: unthrottled(), retry: policy, limits: LIMITS });
    normalBody = '{"ts":"5","updates":[]}';
    return { call: () => client.longPollCheck(`${base}/lp`, 'k', '4', 0), close: () => client.close() };
  },
  'OK (axios)': () => {
    const { retry: policy } = retry();
    const client = new OkClient({ applicationKey: 'K', applicationSecretKey: 'hostile-secret', accessToken: 'tkn-hostile', baseUrl: base, throttle: unthrottled(), retry: policy, limits: LIMITS });
    normalBody = '{"discussions":[]}';
    return { call: () => client.call('discussions.getList'), close: () => client.close() };
  },
  'Telegram (node-telegram-bot-api, request)': () => {
    const { retry: policy } = retry();
    const client = new TelegramClient({ token: '1:hostile', baseApiUrl: base, throttle: unthrottled(), retry: policy, longPollWaitSec: 0, limits: LIMITS });
    normalBody = '{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Бот"}}';
    return { call: () => client.call('getMe', (bot) => bot.getMe()), close: () => client.close() };
  },
};

describe.each(Object.entries(clients))('%s', (_name, make) => {
  it('a body far over the cap is cut off after the cap: a too-large transport error that a retry may help', async () => {
    mode = 'huge';
    const client = make();
    const { error, retried } = await failure(client.call);
    client.close();
    expect(error.failure).toBe('too-large');
    expect(error.retryMayHelp).toBe(true);
    expect(retried).toBe(true);
    // The server could not push the 200 MB: the client stopped reading near the cap.
    expect(bytesWritten).toBeLessThan(32 * 1024 * 1024);
  });

  it('a declared Content-Length over the cap is refused before the body is read', async () => {
    mode = 'declared-huge';
    const client = make();
    const { error } = await failure(client.call);
    client.close();
    expect(error.failure).toBe('too-large');
  });

  it('a body trickled byte by byte ends at the total time per request, though the socket is never idle', async () => {
    mode = 'trickle';
    const client = make();
    const { error, retried } = await failure(client.call);
    client.close();
    expect(error.failure).toBe('timeout');
    expect(error.message).toMatch(/not complete within/);
    expect(error.retryMayHelp).toBe(true);
    expect(retried).toBe(true);
    // Cut off long before the ~4 s the whole body takes.
    expect(bytesWritten).toBeLessThan(30);
  });

  it('and a normal answer still passes through the same guard', async () => {
    mode = 'normal';
    const client = make();
    await expect(client.call()).resolves.toBeDefined();
    client.close();
  });
});

describe('a hostile body does not stop the poll loop', () => {
  it('the loop logs the failure, pauses, and stores the next good batch', async () => {
    const update = { update_id: 731500101, message: { message_id: 412, date: 1763973000, text: 'Нет воды', from: { id: 5012345678, is_bot: false, first_name: 'Наталья' }, chat: { id: 5012345678, first_name: 'Наталья', type: 'private' } } };
    normalBody = JSON.stringify({ ok: true, result: [update] });
    const stored: NormalizedMessage[] = [];
    const store: IngestStore = {
      loadCursor: async () => null, saveCursor: async () => undefined, putAside: async () => undefined,
      ingestMessages: async (_tenant, messages) => { stored.push(...messages); return { inserted: messages.length, duplicates: 0 }; },
    };
    const { retry: policy } = retry();
    const client = new TelegramClient({ token: '1:hostile', baseApiUrl: base, throttle: unthrottled(), retry: policy, longPollWaitSec: 0, limits: LIMITS });
    const connector = new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: [], now: () => new Date('2025-11-24T10:00:00Z') });
    const account: PolledAccount = { tenantId: 't', connector: connector as PolledAccount['connector'] };
    const controller = new AbortController();
    const warnings: Record<string, unknown>[] = [];
    mode = 'huge';
    await runPollLoops({
      store, accounts: [account], signal: controller.signal, idleMs: 1, failurePauseMs: 30_000,
      logger: { info: () => undefined, warn: (fields) => warnings.push(fields as Record<string, unknown>), error: () => undefined },
      sleep: async () => { mode = 'normal'; },
      onPoll: () => controller.abort(),
    });
    client.close();
    expect(warnings).toEqual([expect.objectContaining({ network: 'telegram', error: expect.stringMatching(/too-large/) })]);
    expect(stored.map((m) => m.externalId)).toEqual(['5012345678:412']);
  });
});
