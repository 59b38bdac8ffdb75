import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import { inspect } from 'node:util';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { VkClient } from '../../connectors/vk/client.js';
import { VkConnector } from '../../connectors/vk/connector.js';
import { OkClient, okSignature } from '../../connectors/ok/client.js';
import { OkConnector } from '../../connectors/ok/connector.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { publishAnswer } from '../../connectors/publish.js';
import { AttachmentNotDownloadable, type OutgoingFile } from '../../connectors/attachments.js';
import { unthrottled } from '../../connectors/throttle.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { fixture, okDocParams, undocumentedTelegramParams, undocumentedVkParams } from './support/reference.js';
import { testRetry } from './support/fast.js';

/**
 * Point 12 of issue 12 (000 [16], 002 [11], 003 [8]): an answer's photos and videos reach
 * the citizen as real media, never as a `telegram-file:` line, and staff can download an
 * incoming attachment without the bot's token leaving the connector. Each request's
 * parameters are checked against the reference the fixture tests use.
 */
const photo = (name = 'ostanovka.jpg'): OutgoingFile => ({ kind: 'photo', fileName: name, contentType: 'image/jpeg', data: Buffer.from(`JPEG bytes of ${name}`) });
const video: OutgoingFile = { kind: 'video', fileName: 'remont.mp4', contentType: 'video/mp4', data: Buffer.from('MP4 bytes of remont') };
const pdf: OutgoingFile = { kind: 'document', fileName: 'grafik.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.7 grafik') };

/** The part names of a multipart body (nock hands the body over as text). */
function multipartFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of body.matchAll(/name="([^"]+)"(?:; filename="([^"]*)")?\r\n(?:Content-Type: [^\r]*\r\n)?\r\n([\s\S]*?)\r\n--/g)) fields[match[1]!] = match[2] === undefined ? match[3]! : `file:${match[2]}`;
  return fields;
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('Telegram: sendPhoto, sendVideo, sendDocument, sendMediaGroup with multipart upload', () => {
  const TOKEN = '7012345678:AAH-media_token_secret';
  const API = 'https://api.telegram.org';
  const comment: NormalizedMessage = {
    network: 'telegram', externalId: '-1001555000111:2294', kind: 'comment',
    place: { containerId: '-1001555000111', postId: '2291', itemId: '2294', threadId: '2291' },
    author: { id: '6023456789', name: 'Виктор', anonymous: false },
    text: 'Когда починят остановку?', attachments: [], createdAt: new Date('2025-11-24T09:00:00Z'), matchedKeywords: [], raw: {},
  };
  const sent: { method: string; params: Record<string, string> }[] = [];
  function api(method: string, answer: object) {
    return nock(API).post(`/bot${TOKEN}/${method}`).query(true).reply(200, (uri, body) => {
      const query = Object.fromEntries(new URL(uri, API).searchParams);
      const params = { ...query, ...(String(body).includes('Content-Disposition') ? multipartFields(String(body)) : Object.fromEntries(new URLSearchParams(String(body)))) };
      sent.push({ method, params });
      return answer;
    });
  }
  const setup = () => {
    sent.length = 0;
    const { retry } = testRetry();
    // A flood wait is handed back rather than slept, as in production (maxServerWaitMs).
    const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry: { ...retry, backoff: { ...retry.backoff, maxServerWaitMs: 1_000 } }, longPollWaitSec: 0 });
    const attempts = new MemoryAttemptLog();
    return { attempts, connector: new TelegramConnector({ accountId: 'bot', client, attempts, discussionChatIds: ['-1001555000111'], keywords: [] }) };
  };

  it('one photo goes as sendPhoto with the text as its caption, in reply and in the thread', async () => {
    api('sendPhoto', fixture('telegram', 'sendPhoto.json') as object);
    const { connector } = setup();
    const text = 'Здравствуйте, Виктор! Остановку «Больница» отремонтировали, фото прилагаем.';
    await expect(connector.reply({ answerId: 'a-1' }, comment, text, [photo()])).resolves.toEqual({ status: 'published', externalId: '2302', recovered: false });
    expect(sent).toEqual([{ method: 'sendPhoto', params: expect.objectContaining({ chat_id: '-1001555000111', caption: text, message_thread_id: '2291', photo: 'file:ostanovka.jpg' }) }]);
    expect(JSON.parse(sent[0]!.params.reply_parameters!)).toEqual({ message_id: 2294, allow_sending_without_reply: true });
    expect(undocumentedTelegramParams('sendPhoto', sent[0]!.params)).toEqual([]);
  });

  it('photos and a video go as one album (sendMediaGroup, attach://N), a document in its own send, each recorded apart', async () => {
    api('sendMediaGroup', fixture('telegram', 'sendMediaGroup.json') as object);
    api('sendDocument', { ok: true, result: { message_id: 2305, date: 1763974020, chat: { id: -1001555000111, type: 'supergroup', title: 'Охинский — обсуждение' }, document: { file_id: 'BQACAgIAAxkDAAIBSmc3', file_unique_id: 'AgADt8c', file_name: 'grafik.pdf' } } });
    const { connector, attempts } = setup();
    const result = await publishAnswer(connector, { answerId: 'a-2' }, comment, 'Фото и видео ремонта остановки.', 'x', [photo('do.jpg'), photo('posle.jpg'), video, pdf]);
    expect(result).toMatchObject({ outcome: 'published-public', externalId: '2303' });
    expect(sent.map((request) => request.method)).toEqual(['sendMediaGroup', 'sendDocument']);
    const album = sent[0]!.params;
    expect(JSON.parse(album.media!)).toEqual([
      { type: 'photo', media: 'attach://0', caption: 'Фото и видео ремонта остановки.' },
      { type: 'photo', media: 'attach://1' },
      { type: 'video', media: 'attach://2' },
    ]);
    expect(album).toMatchObject({ 0: 'file:do.jpg', 1: 'file:posle.jpg', 2: 'file:remont.mp4' });
    expect(sent[1]!.params).toMatchObject({ document: 'file:grafik.pdf' });
    expect(sent[1]!.params.caption).toBeUndefined();
    // api.json lists every parameter but the attach:// parts, which its media field names.
    expect(undocumentedTelegramParams('sendMediaGroup', album)).toEqual(['0', '1', '2']);
    expect(undocumentedTelegramParams('sendDocument', sent[1]!.params)).toEqual([]);
    expect([...attempts.attempts.values()].map((attempt) => [attempt.target, attempt.externalId])).toEqual([
      ['chat:-1001555000111:reply:2294', '2303'],
      ['chat:-1001555000111:reply:2294:part:1', '2305'],
    ]);
  });

  it('a text longer than a caption goes first, then the media; a retry after the text was sent sends only the media', async () => {
    const long = 'Подробный ответ. '.repeat(80);
    api('sendMessage', fixture('telegram', 'sendMessage.json') as object);
    nock(API).post(`/bot${TOKEN}/sendPhoto`).query(true).reply(429, fixture('telegram', 'error.429.json') as object);
    const { connector: first } = setup();
    await expect(first.reply({ answerId: 'a-3' }, comment, long, [photo()])).resolves.toMatchObject({ status: 'retryable', waitMs: 7_000 });
    expect(sent.map((request) => request.method)).toEqual(['sendMessage']);
    api('sendPhoto', fixture('telegram', 'sendPhoto.json') as object);
    await expect(first.reply({ answerId: 'a-3' }, comment, long, [photo()])).resolves.toEqual({ status: 'published', externalId: '2301', recovered: true });
    expect(sent.map((request) => request.method)).toEqual(['sendMessage', 'sendPhoto']);
    expect(sent[1]!.params.caption).toBeUndefined();
  });

  it('a telegram-file reference is never written into the text: it is reported undelivered', async () => {
    api('sendMessage', fixture('telegram', 'sendMessage.json') as object);
    const { connector } = setup();
    const result = await connector.reply({ answerId: 'a-4' }, comment, 'Ответ', [{ type: 'photo', url: 'telegram-file:AgACAgIAAxkBAAIBQ2c2' }, { type: 'link', url: 'https://okha.ru/grafik' }]);
    expect(sent[0]!.params.text).toBe('Ответ\n\nhttps://okha.ru/grafik');
    expect(result).toMatchObject({ status: 'published', undelivered: [{ name: 'telegram file AgACAgIAAxkBAAIBQ2c2', reason: expect.stringMatching(/bytes/) }] });
  });

  it('a file that fails the check, or is over Telegram\'s 10 MB for photos, is named undelivered with the field', async () => {
    api('sendMessage', fixture('telegram', 'sendMessage.json') as object);
    const { connector } = setup();
    const big: OutgoingFile = { ...photo('big.jpg'), data: Buffer.alloc(10 * 1024 * 1024 + 1) };
    const bad: OutgoingFile = { kind: 'photo', fileName: '../etc/passwd', contentType: 'image jpeg', data: Buffer.from('x') };
    const result = await connector.reply({ answerId: 'a-5' }, comment, 'Ответ', [big, bad]);
    expect(result).toMatchObject({ status: 'published', undelivered: [
      { name: 'big.jpg', reason: expect.stringMatching(/^data: 10485761 bytes/) },
      { name: '../etc/passwd', reason: expect.stringMatching(/fileName: contains a path separator.*contentType: not a MIME type/) },
    ] });
  });

  it('fetchAttachment: getFile, then the file server; the token is in no result, error or inspect', async () => {
    api('getFile', fixture('telegram', 'getFile.json') as object);
    nock(API).get(`/file/bot${TOKEN}/photos/file_17.jpg`).reply(200, Buffer.from('JPEG of the bus stop'), { 'content-type': 'application/octet-stream' });
    const { connector } = setup();
    const file = await connector.fetchAttachment({ type: 'photo', url: 'telegram-file:AgACAgIAAxkBAAIBQ2c2' });
    expect(file).toEqual({ contentType: 'image/jpeg', fileName: 'file_17.jpg', data: Buffer.from('JPEG of the bus stop') });
    expect(sent[0]!.params).toEqual({ file_id: 'AgACAgIAAxkBAAIBQ2c2' });

    api('getFile', fixture('telegram', 'getFile.json') as object);
    nock(API).get(`/file/bot${TOKEN}/photos/file_17.jpg`).times(4).reply(502, 'Bad Gateway');
    const error = await connector.fetchAttachment({ type: 'photo', url: 'telegram-file:AgACAgIAAxkBAAIBQ2c2' }).catch((caught: unknown) => caught);
    expect(inspect(error, { depth: 8 })).not.toContain('media_token_secret');
    await expect(connector.fetchAttachment({ type: 'photo', url: 'https://example.org/x.jpg' })).rejects.toBeInstanceOf(AttachmentNotDownloadable);
  });
});

describe('VK: upload servers, save methods, and the attachment names', () => {
  const TOKEN = 'vk1.a.media-community';
  const USER = 'vk1.a.media-user';
  const API = 'https://api.vk.ru';
  const UPLOAD = 'https://pu.vk.com';
  const sent: { method: string; params: Record<string, string> }[] = [];
  function method(name: string, answer: object) {
    return nock(API).post(`/method/${name}`).reply(200, (_uri, body) => {
      const params = Object.fromEntries(new URLSearchParams(String(body)));
      sent.push({ method: name, params });
      return answer;
    });
  }
  const upload = (answer: object) => nock(UPLOAD).post(/upload\.php/).reply(200, (_uri, body) => {
    sent.push({ method: 'upload', params: multipartFields(String(body)) });
    return answer;
  });
  const setup = (withUserToken: boolean) => {
    sent.length = 0;
    const { retry } = testRetry();
    const client = new VkClient({ token: TOKEN, tokenKind: 'community', throttle: unthrottled(), retry });
    const searchClient = withUserToken ? new VkClient({ token: USER, tokenKind: 'user', throttle: unthrottled(), retry }) : undefined;
    return new VkConnector({ accountId: 'vk', groupId: 218475963, client, keywords: [], ...(searchClient === undefined ? {} : { searchClient }) });
  };
  const privateMessage: NormalizedMessage = {
    network: 'vk', externalId: 'message:512340987_31', kind: 'private', place: { containerId: '512340987', itemId: '902' },
    author: { id: '512340987', name: 'Ольга Смирнова', anonymous: false }, text: 'Где яма?', attachments: [], createdAt: new Date('2025-11-24T08:00:00Z'), matchedKeywords: [], raw: {},
  };
  const comment: NormalizedMessage = {
    network: 'vk', externalId: 'comment:-218475963_5821', kind: 'comment', place: { containerId: '-218475963', postId: '1377', itemId: '5821' },
    author: { id: '512340987', name: 'Ольга Смирнова', anonymous: false }, text: 'Нет воды', attachments: [], createdAt: new Date('2025-11-24T08:00:00Z'), matchedKeywords: [], raw: {},
  };

  it('a private answer: the photo through the messages upload server, the video as a document; messages.send names both', async () => {
    method('photos.getMessagesUploadServer', fixture('vk', 'photos.getMessagesUploadServer.json') as object);
    upload(fixture('vk', 'upload.photo.json') as object);
    method('photos.saveMessagesPhoto', fixture('vk', 'photos.saveMessagesPhoto.json') as object);
    method('docs.getMessagesUploadServer', fixture('vk', 'docs.getUploadServer.json') as object);
    upload(fixture('vk', 'upload.doc.json') as object);
    method('docs.save', fixture('vk', 'docs.save.json') as object);
    method('messages.send', fixture('vk', 'messages.send.json') as object);
    const result = await setup(false).reply({ answerId: 'a-6' }, privateMessage, 'Яму засыпали, фото и видео прилагаем.', [photo('yama.jpg'), video]);
    expect(result).toMatchObject({ status: 'published' });
    expect(sent.map((request) => request.method)).toEqual(['photos.getMessagesUploadServer', 'upload', 'photos.saveMessagesPhoto', 'docs.getMessagesUploadServer', 'upload', 'docs.save', 'messages.send']);
    expect(sent[0]!.params).toMatchObject({ peer_id: '512340987' });
    expect(sent[1]!.params).toEqual({ photo: 'file:yama.jpg' });
    const upl = fixture('vk', 'upload.photo.json') as Record<string, unknown>;
    expect(sent[2]!.params).toMatchObject({ photo: upl.photo, server: String(upl.server), hash: upl.hash });
    expect(sent[3]!.params).toMatchObject({ type: 'doc', peer_id: '512340987' });
    expect(sent[4]!.params).toEqual({ file: 'file:remont.mp4' });
    expect(sent[5]!.params).toMatchObject({ file: (fixture('vk', 'upload.doc.json') as { file: string }).file, title: 'remont.mp4' });
    expect(sent[6]!.params).toMatchObject({ attachment: 'photo-218475963_457239210_8c1d0e2f3a4b5c6d7e,doc-218475963_681203344_9d8c7b6a5f4e', message: 'Яму засыпали, фото и видео прилагаем.' });
    for (const request of sent.filter((item) => item.method !== 'upload')) expect(undocumentedVkParams(request.method, request.params)).toEqual([]);
  });

  it('a comment with a community token only: the photo goes as a document (photos.getWallUploadServer takes a user token)', async () => {
    method('docs.getWallUploadServer', fixture('vk', 'docs.getUploadServer.json') as object);
    upload(fixture('vk', 'upload.doc.json') as object);
    method('docs.save', fixture('vk', 'docs.save.json') as object);
    method('wall.createComment', fixture('vk', 'wall.createComment.json') as object);
    await expect(setup(false).reply({ answerId: 'a-7' }, comment, 'Воду дали.', [photo('truba.jpg')])).resolves.toMatchObject({ status: 'published' });
    expect(sent.map((request) => request.method)).toEqual(['docs.getWallUploadServer', 'upload', 'docs.save', 'wall.createComment']);
    expect(sent[0]!.params).toMatchObject({ group_id: '218475963' });
    expect(sent[3]!.params).toMatchObject({ attachments: 'doc-218475963_681203344', guid: 'a-7', from_group: '218475963', reply_to_comment: '5821' });
    for (const request of sent.filter((item) => item.method !== 'upload')) expect(undocumentedVkParams(request.method, request.params)).toEqual([]);
  });

  it('a comment with an admin\'s user token: the photo through the wall upload server, saved to the community', async () => {
    method('photos.getWallUploadServer', fixture('vk', 'photos.getWallUploadServer.json') as object);
    upload(fixture('vk', 'upload.photo.json') as object);
    method('photos.saveWallPhoto', fixture('vk', 'photos.saveWallPhoto.json') as object);
    method('wall.createComment', fixture('vk', 'wall.createComment.json') as object);
    await expect(setup(true).reply({ answerId: 'a-8' }, comment, 'Воду дали.', [photo('truba.jpg')])).resolves.toMatchObject({ status: 'published' });
    expect(sent.map((request) => [request.method, request.params.access_token])).toEqual([
      ['photos.getWallUploadServer', USER], ['upload', undefined], ['photos.saveWallPhoto', USER], ['wall.createComment', TOKEN],
    ]);
    expect(sent[2]!.params).toMatchObject({ group_id: '218475963' });
    expect(sent[3]!.params).toMatchObject({ attachments: 'photo-218475963_457239211' });
    for (const request of sent.filter((item) => item.method !== 'upload')) expect(undocumentedVkParams(request.method, request.params)).toEqual([]);
  });

  it('a file the upload server refuses is reported, and the answer goes without it', async () => {
    method('photos.getMessagesUploadServer', fixture('vk', 'photos.getMessagesUploadServer.json') as object);
    upload({ error: 'ERR_UPLOAD_BAD_IMAGE_SIZE: market photo min size 400x400' });
    method('messages.send', fixture('vk', 'messages.send.json') as object);
    const result = await setup(false).reply({ answerId: 'a-9' }, privateMessage, 'Ответ', [photo('tiny.jpg')]);
    expect(result).toMatchObject({ status: 'published', undelivered: [{ name: 'tiny.jpg', reason: expect.stringContaining('ERR_UPLOAD_BAD_IMAGE_SIZE') }] });
    expect(sent.at(-1)!.params.attachment).toBeUndefined();
  });

  it('fetchAttachment: a photo from VK\'s file hosts; a video page or a foreign host is not fetched', async () => {
    nock('https://sun9-1.userapi.com').get('/impg/podval_604.jpg').reply(200, Buffer.from('JPEG podval'), { 'content-type': 'image/jpeg' });
    const connector = setup(false);
    await expect(connector.fetchAttachment({ type: 'photo', url: 'https://sun9-1.userapi.com/impg/podval_604.jpg' })).resolves.toEqual({ contentType: 'image/jpeg', fileName: 'podval_604.jpg', data: Buffer.from('JPEG podval') });
    await expect(connector.fetchAttachment({ type: 'video', url: 'https://vk.com/video512340987_456239017' })).rejects.toBeInstanceOf(AttachmentNotDownloadable);
    await expect(connector.fetchAttachment({ type: 'photo', url: 'http://169.254.169.254/latest/meta-data' })).rejects.toBeInstanceOf(AttachmentNotDownloadable);
  });
});

describe('OK: photosV2 upload for topic comments', () => {
  const API = 'https://api.ok.ru';
  const KEY = 'CBAFJIICABABABABA';
  const SECRET = 'secret-media-ok';
  const TOKEN = 'tkn1ok-media';
  const GROUP = '70000001234567';
  const sent: { method: string; params: Record<string, string> }[] = [];
  function rest(method: string, answer: unknown) {
    return nock(API).post('/fb.do', (form: Record<string, string>) => form.method === method).reply(200, (_uri, body) => {
      const params = Object.fromEntries(new URLSearchParams(String(body)));
      const { sig, ...signed } = params;
      expect(sig).toBe(okSignature(signed, TOKEN, SECRET));
      sent.push({ method, params });
      return JSON.stringify(answer);
    });
  }
  const setup = () => {
    sent.length = 0;
    const { retry } = testRetry();
    const client = new OkClient({ applicationKey: KEY, applicationSecretKey: SECRET, accessToken: TOKEN, throttle: unthrottled(), retry });
    return new OkConnector({ accountId: 'ok', groupId: GROUP, client, attempts: new MemoryAttemptLog(), keywords: [], now: () => new Date('2025-11-24T10:00:00Z') });
  };
  const comment: NormalizedMessage = {
    network: 'ok', externalId: 'comment:MTc2Mzk3NTYwMDAwMDoxMjM0NQ==', kind: 'comment',
    place: { containerId: GROUP, postId: '155762436583901', itemId: 'MTc2Mzk3NTYwMDAwMDoxMjM0NQ==', discussionType: 'GROUP_TOPIC' },
    author: { id: '571203948811', name: 'Людмила Воронцова', anonymous: false }, text: 'Отключат?', attachments: [], createdAt: new Date('2025-11-24T09:31:40Z'), matchedKeywords: [], raw: {},
  };

  it('the photos are uploaded as pic1…picN and named by their tokens in the comment\'s attachments; a video is reported', async () => {
    rest('photosV2.getUploadUrl', { upload_url: 'https://p.mycdn.me/upload.do?sig=abc&expires=1763980000000&clientType=1&id=9001&apiToken=tkn', photo_ids: ['9001', '9002'], expires_ms: 1763980000000 });
    nock('https://p.mycdn.me').post('/upload.do').query(true).reply(200, (_uri, body) => {
      sent.push({ method: 'upload', params: multipartFields(String(body)) });
      return { photos: { 9001: { token: 'tok1-A' }, 9002: { token: 'tok2-B' } } };
    });
    rest('discussions.addDiscussionComment', fixture('ok', 'addDiscussionComment.json'));
    const result = await setup().reply({ answerId: 'a-10' }, comment, 'Не отключат.', [photo('1.jpg'), photo('2.jpg'), video]);
    expect(result).toMatchObject({ status: 'published', undelivered: [{ name: 'remont.mp4', reason: expect.stringMatching(/photos/) }] });
    expect(sent.map((request) => request.method)).toEqual(['photosV2.getUploadUrl', 'upload', 'discussions.addDiscussionComment']);
    expect(sent[0]!.params).toMatchObject({ gid: GROUP, count: '2' });
    expect(sent[1]!.params).toEqual({ pic1: 'file:1.jpg', pic2: 'file:2.jpg' });
    expect(JSON.parse(sent[2]!.params.attachments!)).toEqual({ media: [{ type: 'photo', list: [{ id: 'tok1-A' }, { id: 'tok2-B' }] }] });
    expect(okDocParams('discussions.addDiscussionComment')).toEqual(expect.arrayContaining(Object.keys(sent[2]!.params).filter((name) => !['method', 'application_key', 'format', 'access_token', 'sig'].includes(name))));
  });

  it('in a chat the Bot API takes an image only by URL: the text goes, the photo is reported', async () => {
    nock(API).post('/graph/me/messages/chat:C3f1a9b7e2d00').query(true).reply(200, fixture('ok', 'graph.send.json') as object);
    const chat: NormalizedMessage = { ...comment, kind: 'private', externalId: 'message:mid:1', place: { containerId: 'chat:C3f1a9b7e2d00', itemId: 'mid:1' } };
    await expect(setup().reply({ answerId: 'a-11' }, chat, 'Ответ', [photo()])).resolves.toMatchObject({ status: 'published', undelivered: [{ name: 'ostanovka.jpg', reason: expect.stringMatching(/URL/) }] });
  });

  it('fetchAttachment: a chat image from OK\'s file hosts', async () => {
    nock('https://i.mycdn.me').get('/i').query({ r: 'dvor_temno_1024' }).reply(200, Buffer.from('JPEG dvor'), { 'content-type': 'image/jpeg' });
    await expect(setup().fetchAttachment({ type: 'photo', url: 'https://i.mycdn.me/i?r=dvor_temno_1024' })).resolves.toEqual({ contentType: 'image/jpeg', fileName: 'photo.jpg', data: Buffer.from('JPEG dvor') });
  });
});
