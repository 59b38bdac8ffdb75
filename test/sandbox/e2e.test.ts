import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { spawn } from 'node:child_process';
import axios from 'axios';
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox } from '../../sandbox/server.js';
import { DEFAULT_SWITCHES } from '../../sandbox/state.js';
import { VkClient } from '../../connectors/vk/client.js';
import { VkConnector, type VkCursor } from '../../connectors/vk/connector.js';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { OkClient } from '../../connectors/ok/client.js';
import { OkConnector, type OkCursor } from '../../connectors/ok/connector.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { publishAnswer } from '../../connectors/publish.js';
import { unthrottled } from '../../connectors/throttle.js';
import { GaveUp } from '../../connectors/retry.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { testRetry } from '../connectors/support/fast.js';

let sandbox: Sandbox;
const FALLBACK = 'Ответ на ваш комментарий. Вы также можете написать в официальные аккаунты администрации.';

beforeAll(async () => { sandbox = await startSandbox({ port: 0 }); });
afterAll(async () => { await sandbox.stop(); });
beforeEach(() => { sandbox.setSwitches(DEFAULT_SWITCHES); });

function vk(token: string = SANDBOX_CREDENTIALS.vk.token) {
  const { retry, delaysMs } = testRetry();
  const client = new VkClient({ token, tokenKind: 'community', apiBaseUrl: sandbox.vkApiBaseUrl, throttle: unthrottled(), retry });
  return { connector: new VkConnector({ accountId: 'vk', groupId: SANDBOX_CREDENTIALS.vk.groupId, client, keywords: ['администрац'], longPollWaitSec: 0 }), client, delaysMs };
}
function telegram(attempts = new MemoryAttemptLog()) {
  const { retry, delaysMs } = testRetry();
  const client = new TelegramClient({ token: SANDBOX_CREDENTIALS.telegram.token, baseApiUrl: sandbox.telegramBaseApiUrl, throttle: unthrottled(), retry, longPollWaitSec: 0 });
  return { connector: new TelegramConnector({ accountId: 'bot', client, attempts, discussionChatIds: [String(SANDBOX_CREDENTIALS.telegram.discussionChatId)], keywords: ['администрац'] }), delaysMs };
}
function ok(attempts = new MemoryAttemptLog()) {
  const { retry } = testRetry();
  const { applicationKey, applicationSecretKey, accessToken, groupId } = SANDBOX_CREDENTIALS.ok;
  const client = new OkClient({ applicationKey, applicationSecretKey, accessToken, baseUrl: sandbox.okBaseUrl, throttle: unthrottled(), retry });
  return new OkConnector({ accountId: 'ok', groupId, client, attempts, keywords: ['администрац'] });
}
const recorded = async (network: string) => (await axios.get<{ posts: { text: string; target: string; id: string; replyTo?: string }[] }>(`${sandbox.url}/_sandbox/recorded`, { params: { network } })).data.posts;

describe('VK through vk-io against the sandbox', () => {
  let cursor: VkCursor;
  let batch: NormalizedMessage[];

  it('fetches the scripted stream via the Long Poll server the sandbox names', async () => {
    const { connector } = vk();
    cursor = (await connector.fetchSince(null)).cursor;
    sandbox.emit('vk', 12);
    const result = await connector.fetchSince(cursor);
    cursor = result.cursor;
    batch = result.messages;
    expect(result.rejected).toEqual([]);
    expect(batch).toHaveLength(12);
    expect(new Set(batch.map((m) => m.kind))).toEqual(new Set(['comment', 'private']));
    expect(batch.every((m) => /^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$/.test(m.author.name))).toBe(true);
    expect(result.requests).toBe(2);
  });

  it('publishes a reply once per answer id (guid), and falls back to a private message when comments are closed', async () => {
    const { connector } = vk();
    const comment = batch.find((m) => m.kind === 'comment' && batch.some((p) => p.kind === 'private' && p.author.id === m.author.id))
      ?? batch.find((m) => m.kind === 'comment')!;
    const first = await connector.reply({ answerId: 'a-1' }, comment, 'Здравствуйте! Заявка передана в отдел ЖКХ.');
    const again = await connector.reply({ answerId: 'a-1' }, comment, 'Здравствуйте! Заявка передана в отдел ЖКХ.');
    expect(first).toMatchObject({ status: 'published' });
    expect(again).toEqual(first);
    expect((await recorded('vk')).filter((post) => post.text.startsWith('Здравствуйте! Заявка'))).toHaveLength(1);

    sandbox.setSwitches({ commentsClosed: true });
    const outcome = await publishAnswer(connector, { answerId: 'a-2' }, comment, 'Ответ', FALLBACK);
    const wroteBefore = batch.some((p) => p.kind === 'private' && p.author.id === comment.author.id);
    expect(outcome).toMatchObject(wroteBefore
      ? { outcome: 'published-private', errors: [{ code: 213 }] }
      : { outcome: 'no-technical-possibility', errors: [{ code: 213 }, { code: 901 }] });
  });

  it('closed private messages and a blocked community end in «Готово»', async () => {
    const { connector } = vk();
    const comment = batch.find((m) => m.kind === 'comment')!;
    sandbox.setSwitches({ communityBlocked: true });
    await expect(publishAnswer(connector, { answerId: 'a-3' }, comment, 'Ответ', FALLBACK)).resolves.toMatchObject({ outcome: 'no-technical-possibility', errors: [{ code: 203 }, { code: 203 }] });
    sandbox.setSwitches({ communityBlocked: false, commentsClosed: true, privateClosed: true });
    await expect(publishAnswer(connector, { answerId: 'a-4' }, comment, 'Ответ', FALLBACK)).resolves.toMatchObject({ outcome: 'no-technical-possibility', errors: [{ code: 213 }, { code: 902 }] });
  });

  it('when Long Poll loses events, the connector reads them back and nothing is stored twice', async () => {
    const { connector } = vk();
    sandbox.emit('vk', 4);
    const delivered = await connector.fetchSince(cursor);
    const lostItems = sandbox.state.emit('vk', 5);
    sandbox.setSwitches({ longPollHistoryLost: true });
    const lost = await connector.fetchSince(delivered.cursor);
    cursor = lost.cursor;
    const seen = new Set([...batch, ...delivered.messages].map((m) => m.externalId));
    const recovered = lost.messages.filter((m) => !seen.has(m.externalId));
    // Every lost comment comes back; of the lost private messages, the last of each conversation.
    const privateAuthors = new Set(lostItems.filter((item) => item.shape === 'private' && !item.anonymous).map((item) => item.authorIndex));
    expect(recovered.filter((m) => m.kind === 'comment')).toHaveLength(lostItems.length - lostItems.filter((item) => item.shape === 'private' && !item.anonymous).length);
    expect(recovered.filter((m) => m.kind === 'private')).toHaveLength(privateAuthors.size);
    expect(lost.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/^long poll events lost/)]);
    const after = await connector.fetchSince(cursor);
    expect(after.messages).toEqual([]);
  });

  it('rides out the flood limit (error 6) and stops on a wrong token', async () => {
    const { connector, delaysMs } = vk();
    sandbox.setSwitches({ floodEvery: 2 });
    sandbox.emit('vk', 3);
    const result = await connector.fetchSince(cursor);
    expect(result.messages).toHaveLength(3);
    expect(delaysMs).toEqual([1_000]);
    sandbox.setSwitches({ floodEvery: 0 });
    const error = await vk('wrong-token').connector.fetchSince(null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GaveUp);
    expect((error as GaveUp).decision).toEqual({ kind: 'config' });
  });
});

describe('vk-io over plain http', () => {
  it('the client supplies a (guarded) http.Agent for an http base URL', async () => {
    const client = new VkClient({ token: SANDBOX_CREDENTIALS.vk.token, tokenKind: 'community', apiBaseUrl: sandbox.vkApiBaseUrl, throttle: unthrottled() });
    await expect(client.call('users.get', { user_ids: '512340001' })).resolves.toEqual([expect.objectContaining({ id: 512340001, first_name: 'Игорь' })]);
  });
});

describe('Telegram through node-telegram-bot-api against the sandbox', () => {
  let batch: NormalizedMessage[];

  it('reads private messages, discussion comments and mentions; the channel copy is skipped', async () => {
    const { connector } = telegram();
    sandbox.emit('telegram', 20);
    const result = await connector.fetchSince(null);
    batch = result.messages;
    expect(result.rejected).toEqual([]);
    expect(batch).toHaveLength(20);
    expect(batch.every((m) => !m.text.startsWith('Новости администрации'))).toBe(true);
    expect(batch.filter((m) => m.kind === 'mention').every((m) => m.matchedKeywords.includes('администрац'))).toBe(true);
    const next = await connector.fetchSince(result.cursor);
    expect(next.messages).toEqual([]);
  });

  it('replies in the thread to the same message', async () => {
    const { connector } = telegram();
    const comment = batch.find((m) => m.kind === 'comment')!;
    await expect(connector.reply({ answerId: 't-1' }, comment, 'Спасибо, передали в отдел транспорта.')).resolves.toMatchObject({ status: 'published' });
    const post = (await recorded('telegram')).at(-1)!;
    expect(post).toMatchObject({ target: `chat:${comment.place.containerId}`, replyTo: comment.place.itemId, text: 'Спасибо, передали в отдел транспорта.' });
  });

  it('a comment author who never started the bot cannot be written to: «Готово»; a blocked bot too', async () => {
    const { connector } = telegram();
    const comment = batch.find((m) => m.kind === 'comment' && !batch.some((p) => p.kind === 'private' && p.author.id === m.author.id));
    sandbox.setSwitches({ communityBlocked: true });
    expect(comment).toBeDefined();
    await expect(publishAnswer(connector, { answerId: 't-2' }, comment!, 'Ответ', FALLBACK)).resolves.toMatchObject({
      outcome: 'no-technical-possibility', errors: [{ code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' }, { code: 403, description: "Forbidden: bot can't initiate conversation with a user" }],
    });
    sandbox.setSwitches({ communityBlocked: false, botBlocked: true });
    const privateMessage = batch.find((m) => m.kind === 'private')!;
    await expect(publishAnswer(connector, { answerId: 't-3' }, privateMessage, 'Ответ', FALLBACK)).resolves.toMatchObject({ outcome: 'no-technical-possibility', errors: [{ code: 403, description: 'Forbidden: bot was blocked by the user' }] });
  });

  it('anonymous authors are flagged, and 429 with retry_after is waited out', async () => {
    const { connector, delaysMs } = telegram();
    sandbox.setSwitches({ anonymousAuthor: true, floodEvery: 2 });
    sandbox.emit('telegram', 10);
    const result = await connector.fetchSince(null);
    expect(delaysMs).toEqual([1_000]);
    const comments = result.messages.filter((m) => m.kind === 'comment');
    expect(comments.length).toBeGreaterThan(0);
    expect(comments.every((m) => m.author.anonymous)).toBe(true);
  });
});

describe('OK through axios against the sandbox', () => {
  it('fetches topic comments and chat messages with a verified signature, and replies in both places', async () => {
    const attempts = new MemoryAttemptLog();
    const connector = ok(attempts);
    const empty = await connector.fetchSince(null);
    expect(empty.messages).toEqual([]);
    sandbox.emit('ok', 12);
    const result = await connector.fetchSince({ ...(empty.cursor as OkCursor), sinceMs: 0, messagesSinceMs: 0 });
    expect(result.rejected).toEqual([]);
    expect(result.messages).toHaveLength(12);
    const comment = result.messages.find((m) => m.kind === 'comment')!;
    const privateMessage = result.messages.find((m) => m.kind === 'private')!;
    await expect(connector.reply({ answerId: 'o-1' }, comment, 'Ответ в обсуждении')).resolves.toMatchObject({ status: 'published' });
    await expect(connector.reply({ answerId: 'o-2' }, privateMessage, 'Ответ в личных сообщениях')).resolves.toMatchObject({ status: 'published' });
    expect((await recorded('ok')).map((post) => post.text)).toEqual(['Ответ в обсуждении', 'Ответ в личных сообщениях']);
    // The group's own comment is not read back as a citizen's message.
    const after = await connector.fetchSince(result.cursor);
    expect(after.messages).toEqual([]);

    sandbox.setSwitches({ commentsClosed: true, privateClosed: true });
    await expect(publishAnswer(connector, { answerId: 'o-3' }, comment, 'Ответ', FALLBACK)).resolves.toMatchObject({ outcome: 'no-technical-possibility', errors: [{ code: 456 }, { code: 0 }] });
  });
});

describe('sandbox entry point', () => {
  it('runs as `node --import tsx sandbox/server.ts --port N` and answers its control routes', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/server.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
        child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
      });
      const { sandbox: url } = JSON.parse(line) as { sandbox: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const port = new URL(url).port;
      await axios.post(`http://127.0.0.1:${port}/_sandbox/switches`, { privateClosed: true });
      expect((await axios.get(`http://127.0.0.1:${port}/_sandbox/switches`)).data).toMatchObject({ privateClosed: true });
      // Without a network named, two on each of the four.
      expect((await axios.post(`http://127.0.0.1:${port}/_sandbox/emit`, { count: 2 })).data).toEqual({ emitted: 8 });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
