import { describe, it, expect } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { checkMax, checkMaxMethod, maxFixture, maxFixturesDir, maxMethodParams } from './support/max-schema.js';

type Rec = Record<string, unknown>;

describe('MAX fixtures match the copy of MAX\'s schema (connectors/max/reference)', () => {
  it.each([
    ['updates.json', 'get', '/updates'],
    ['updates.empty.json', 'get', '/updates'],
    ['messages.send.json', 'post', '/messages'],
    ['messages.send.private.json', 'post', '/messages'],
    ['messages.list.json', 'get', '/messages'],
    ['comments.send.json', 'post', '/messages/{messageId}/comments'],
    ['comments.list.json', 'get', '/messages/{messageId}/comments'],
    ['uploads.image.json', 'post', '/uploads'],
    ['uploads.video.json', 'post', '/uploads'],
    ['uploads.file.json', 'post', '/uploads'],
    ['videos.details.json', 'get', '/videos/{videoToken}'],
  ] as const)('%s is the answer of %s %s', (file, verb, path) => {
    expect(checkMaxMethod(verb, path, 'response', maxFixture(file))).toEqual([]);
  });

  it.each(['error.401.json', 'error.403.chat-denied.json', 'error.429.json', 'error.400.attachment-not-ready.json', 'error.500.json', 'error.503.json'])('%s is an Error', (file) => {
    expect(checkMax('Error', maxFixture(file))).toEqual([]);
  });

  it('the upload hosts\' answers are what an attachment request carries', () => {
    // "Use this object to create attachment": the image host's JSON is the image's payload.
    expect(checkMax('PhotoAttachmentRequest', { type: 'image', payload: maxFixture('upload.image.answer.json') })).toEqual([]);
    expect(checkMax('FileAttachmentRequest', { type: 'file', payload: maxFixture('upload.file.answer.json') })).toEqual([]);
    expect(checkMax('VideoAttachmentRequest', { type: 'video', payload: { token: (maxFixture('uploads.video.json') as { token: string }).token } })).toEqual([]);
  });

  it('every fixture in the folder is checked above', () => {
    expect(readdirSync(maxFixturesDir).sort()).toEqual([
      'comments.list.json', 'comments.send.json', 'error.400.attachment-not-ready.json', 'error.401.json', 'error.403.chat-denied.json', 'error.429.json',
      'error.500.json', 'error.503.json', 'messages.list.json', 'messages.send.json', 'messages.send.private.json', 'updates.empty.json', 'updates.json',
      'upload.file.answer.json', 'upload.image.answer.json', 'uploads.file.json', 'uploads.image.json', 'uploads.video.json', 'videos.details.json',
    ]);
  });
});

describe('the schema check bites', () => {
  const update = () => structuredClone((maxFixture('updates.json') as { updates: Rec[] }).updates[0]!) as { message: { body: Rec; sender: Rec; recipient: Rec } };

  it('a missing required field, a field MAX does not send, a wrong enum, a wrong type each fail', () => {
    const noMid = update();
    delete noMid.message.body.mid;
    expect(checkMax('Update', noMid).join()).toMatch(/body\.mid: required/);
    const extra = update();
    extra.message.sender.phone = '+79001234567';
    expect(checkMax('Update', extra).join()).toMatch(/sender\.phone: not in the schema/);
    const badType = update();
    badType.message.recipient.chat_type = 'group';
    expect(checkMax('Update', badType).join()).toMatch(/chat_type: "group" not in/);
    const stringId = update();
    stringId.message.sender.user_id = '210000102';
    expect(checkMax('Update', stringId).join()).toMatch(/user_id: string, expected integer/);
  });

  it('an attachment follows its discriminator: an image needs photo_id, url and token', () => {
    const noToken = update();
    const attachments = noToken.message.body.attachments as { payload: Rec }[];
    delete attachments[0]!.payload.token;
    expect(checkMax('Update', noToken).join()).toMatch(/attachments\[0\]\.payload\.token: required/);
    expect(checkMax('AttachmentRequest', { type: 'hologram', payload: {} }).join()).toMatch(/"hologram" is none of/);
  });

  it('a comment cannot carry attachments, and a text longer than 4,000 characters is refused', () => {
    expect(checkMaxMethod('post', '/messages/{messageId}/comments', 'request', { text: 'Ответ', attachments: [] }).join()).toMatch(/attachments: not in the schema/);
    expect(checkMaxMethod('post', '/messages', 'request', { text: 'я'.repeat(4001) }).join()).toMatch(/longer than 4000/);
  });

  it('lists the query parameters each method documents', () => {
    expect(maxMethodParams('get', '/updates')).toEqual(['limit', 'timeout', 'marker', 'types']);
    expect(maxMethodParams('post', '/messages')).toEqual(['user_id', 'chat_id', 'disable_link_preview']);
  });
});
