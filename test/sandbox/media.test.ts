import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import axios from 'axios';
import { inspect } from 'node:util';
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox, type RecordedPost } from '../../sandbox/server.js';
import { DEFAULT_SWITCHES, SANDBOX_PHOTO } from '../../sandbox/state.js';
import { VkClient } from '../../connectors/vk/client.js';
import { VkConnector } from '../../connectors/vk/connector.js';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { OkClient } from '../../connectors/ok/client.js';
import { OkConnector, type OkCursor } from '../../connectors/ok/connector.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { publishAnswer } from '../../connectors/publish.js';
import type { OutgoingFile } from '../../connectors/attachments.js';
import { unthrottled } from '../../connectors/throttle.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { testRetry } from '../connectors/support/fast.js';

/**
 * Point 12 against the sandbox with the real client libraries: the answer's photos are
 * uploaded the way each network takes them, and `/_sandbox/recorded` shows them (JSON with
 * the file's address, or an HTML page with the photo) so a person sees a photo went out;
 * the citizens' own photos come back through fetchAttachment.
 */
let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startSandbox({ port: 0 }); });
afterAll(async () => { await sandbox.stop(); });
beforeEach(() => { sandbox.setSwitches(DEFAULT_SWITCHES); });

const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');
const photo = (name: string): OutgoingFile => ({ kind: 'photo', fileName: name, contentType: 'image/jpeg', data: JPEG });
const video: OutgoingFile = { kind: 'video', fileName: 'remont.mp4', contentType: 'video/mp4', data: Buffer.from('....ftypisom sandbox video') };

async function recorded(network: string): Promise<RecordedPost[]> {
  return (await axios.get<{ posts: RecordedPost[] }>(`${sandbox.url}/_sandbox/recorded`, { params: { network } })).data.posts;
}
async function served(path: string): Promise<{ data: Buffer; type: string }> {
  const response = await axios.get<ArrayBuffer>(`${sandbox.url}${path}`, { responseType: 'arraybuffer' });
  return { data: Buffer.from(response.data), type: String(response.headers['content-type']) };
}

function vk(withUserToken: boolean) {
  const { retry } = testRetry();
  const client = new VkClient({ token: SANDBOX_CREDENTIALS.vk.token, tokenKind: 'community', apiBaseUrl: sandbox.vkApiBaseUrl, throttle: unthrottled(), retry });
  const searchClient = withUserToken ? new VkClient({ token: SANDBOX_CREDENTIALS.vk.userToken, tokenKind: 'user', apiBaseUrl: sandbox.vkApiBaseUrl, throttle: unthrottled(), retry }) : undefined;
  return new VkConnector({ accountId: 'vk', groupId: SANDBOX_CREDENTIALS.vk.groupId, client, keywords: [], longPollWaitSec: 0, ...(searchClient === undefined ? {} : { searchClient }) });
}
function telegram() {
  const { retry } = testRetry();
  const client = new TelegramClient({ token: SANDBOX_CREDENTIALS.telegram.token, baseApiUrl: sandbox.telegramBaseApiUrl, throttle: unthrottled(), retry, longPollWaitSec: 0 });
  return new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [String(SANDBOX_CREDENTIALS.telegram.discussionChatId)], keywords: ['администрац'] });
}
function ok() {
  const { retry } = testRetry();
  const { applicationKey, applicationSecretKey, accessToken, groupId } = SANDBOX_CREDENTIALS.ok;
  const client = new OkClient({ applicationKey, applicationSecretKey, accessToken, baseUrl: sandbox.okBaseUrl, throttle: unthrottled(), retry });
  return new OkConnector({ accountId: 'ok', groupId, client, attempts: new MemoryAttemptLog(), keywords: [] });
}

async function vkMessages(connector: VkConnector, count: number): Promise<NormalizedMessage[]> {
  const start = await connector.fetchSince(null);
  sandbox.emit('vk', count);
  return (await connector.fetchSince(start.cursor)).messages;
}

describe('answers with photos reach the sandbox as real media, and /_sandbox/recorded shows them', () => {
  it('VK: a private answer with a photo and a video; a comment\'s photo through an admin\'s user token', async () => {
    const connector = vk(true);
    const messages = await vkMessages(connector, 12);
    const privateMessage = messages.find((m) => m.kind === 'private')!;
    const comment = messages.find((m) => m.kind === 'comment')!;
    await expect(publishAnswer(connector, { answerId: 'm-1' }, privateMessage, 'Фото и видео прилагаем.', 'x', [photo('yama.jpg'), video])).resolves.toMatchObject({ outcome: 'published-private' });
    await expect(connector.reply({ answerId: 'm-2' }, comment, 'Трубу заменили.', [photo('truba.jpg')])).resolves.toMatchObject({ status: 'published' });
    const posts = await recorded('vk');
    expect(posts.map((post) => [post.method, post.text, post.attachments?.map((file) => [file.kind, file.fileName, file.contentType])])).toEqual([
      ['messages.send', 'Фото и видео прилагаем.', [['photo', 'yama.jpg', 'image/jpeg'], ['document', 'remont.mp4', 'video/mp4']]],
      ['wall.createComment', 'Трубу заменили.', [['photo', 'truba.jpg', 'image/jpeg']]],
    ]);
    const file = await served(posts[0]!.attachments![0]!.url);
    expect(file).toEqual({ data: JPEG, type: 'image/jpeg' });
  });

  it('VK with the community token only: the comment\'s photo goes as a document, and still shows', async () => {
    const connector = vk(false);
    const comment = (await vkMessages(connector, 6)).find((m) => m.kind === 'comment')!;
    await expect(connector.reply({ answerId: 'm-3' }, comment, 'Ответ', [photo('doc-photo.jpg')])).resolves.toMatchObject({ status: 'published' });
    expect((await recorded('vk')).at(-1)!.attachments).toEqual([expect.objectContaining({ kind: 'document', fileName: 'doc-photo.jpg', contentType: 'image/jpeg', bytes: JPEG.length })]);
  });

  it('Telegram: one photo with its caption, then an album with a video', async () => {
    const connector = telegram();
    sandbox.emit('telegram', 10);
    const batch = (await connector.fetchSince(null)).messages;
    const comment = batch.find((m) => m.kind === 'comment')!;
    const privateMessage = batch.find((m) => m.kind === 'private')!;
    await expect(connector.reply({ answerId: 'm-4' }, comment, 'Остановку отремонтировали.', [photo('ostanovka.jpg')])).resolves.toMatchObject({ status: 'published' });
    await expect(connector.reply({ answerId: 'm-5' }, privateMessage, 'До и после.', [photo('do.jpg'), photo('posle.jpg'), video])).resolves.toMatchObject({ status: 'published' });
    const posts = await recorded('telegram');
    expect(posts.map((post) => [post.method, post.text, post.attachments?.map((file) => file.fileName)])).toEqual([
      ['sendPhoto', 'Остановку отремонтировали.', ['ostanovka.jpg']],
      ['sendMediaGroup', 'До и после.', ['do.jpg', 'posle.jpg', 'remont.mp4']],
    ]);
    expect(posts[0]).toMatchObject({ replyTo: comment.place.itemId });
  });

  it('OK: photos in a topic comment; the HTML page shows them to a person', async () => {
    const connector = ok();
    const empty = await connector.fetchSince(null);
    sandbox.emit('ok', 8);
    const messages = (await connector.fetchSince({ ...(empty.cursor as OkCursor), sinceMs: 0, messagesSinceMs: 0 })).messages;
    const comment = messages.find((m) => m.kind === 'comment')!;
    await expect(connector.reply({ answerId: 'm-6' }, comment, 'Свет включили.', [photo('fonar.jpg')])).resolves.toMatchObject({ status: 'published' });
    const post = (await recorded('ok')).at(-1)!;
    expect(post).toMatchObject({ method: 'discussions.addDiscussionComment', text: 'Свет включили.', attachments: [expect.objectContaining({ kind: 'photo', fileName: 'fonar.jpg' })] });
    const page = (await axios.get<string>(`${sandbox.url}/_sandbox/recorded`, { params: { format: 'html', network: 'ok' }, responseType: 'text' })).data;
    expect(page).toContain(`<img src="${post.attachments![0]!.url}"`);
    expect(page).toContain('Свет включили.');
  });
});

describe('staff download the citizens\' photos through the connector', () => {
  it('the photo a citizen sent comes back as bytes from each network; no token in what is returned', async () => {
    sandbox.setSwitches({ withPhotos: true });
    const vkConnector = vk(false);
    const vkPhoto = (await vkMessages(vkConnector, 2)).flatMap((m) => m.attachments)[0]!;
    await expect(vkConnector.fetchAttachment(vkPhoto)).resolves.toMatchObject({ contentType: 'image/png', data: SANDBOX_PHOTO });

    const tg = telegram();
    sandbox.emit('telegram', 2);
    const tgPhoto = (await tg.fetchSince(null)).messages.flatMap((m) => m.attachments)[0]!;
    expect(tgPhoto.url).toMatch(/^telegram-file:/);
    const downloaded = await tg.fetchAttachment(tgPhoto);
    expect(downloaded).toMatchObject({ contentType: 'image/png', data: SANDBOX_PHOTO });
    expect(inspect(downloaded)).not.toContain(SANDBOX_CREDENTIALS.telegram.token.split(':')[1]);

    const okConnector = ok();
    const empty = await okConnector.fetchSince(null);
    sandbox.emit('ok', 6);
    const okPhoto = (await okConnector.fetchSince({ ...(empty.cursor as OkCursor), sinceMs: 0, messagesSinceMs: 0 })).messages.flatMap((m) => m.attachments)[0]!;
    await expect(okConnector.fetchAttachment(okPhoto)).resolves.toMatchObject({ contentType: 'image/png', data: SANDBOX_PHOTO });
  });
});
