import { describe, it, expect } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkOkShape, checkTelegramOpenApi, checkTelegramType, checkVk, fixture, fixturesDir, okDocExample, okDocParams, vkErrorCodes, vkRequiredFlagsMoved } from './support/reference.js';

type Rec = Record<string, unknown>;

describe('VK fixtures match vk-api-schema 5.199', () => {
  it('lifts the draft-03 "required": true flags, so a missing required field fails', () => {
    const comment = structuredClone((fixture('vk', 'longpoll.updates.json') as { updates: Rec[] }).updates[0]!.object) as Rec;
    expect(checkVk('objects.json#/definitions/wall_wall_comment', comment)).toEqual([]);
    expect(vkRequiredFlagsMoved).toBeGreaterThan(1000);
    delete comment.text;
    expect(checkVk('objects.json#/definitions/wall_wall_comment', comment).join()).toMatch(/must have required property 'text'/);
  });

  it.each([
    ['groups.getLongPollServer.json', 'responses.json#/definitions/groups_getLongPollServer_response'],
    ['users.get.json', 'responses.json#/definitions/users_get_response'],
    ['wall.createComment.json', 'responses.json#/definitions/wall_createComment_response'],
    ['messages.send.json', 'responses.json#/definitions/messages_send_deprecated_response'],
    ['newsfeed.search.json', 'responses.json#/definitions/newsfeed_search_response'],
    ['wall.get.json', 'responses.json#/definitions/wall_get_response'],
    ['wall.getComments.json', 'responses.json#/definitions/wall_getComments_response'],
    ['messages.getConversations.json', 'responses.json#/definitions/messages_getConversations_response'],
    ['photos.getMessagesUploadServer.json', 'responses.json#/definitions/photos_getMessagesUploadServer_response'],
    ['photos.getWallUploadServer.json', 'responses.json#/definitions/photos_getWallUploadServer_response'],
    ['photos.saveMessagesPhoto.json', 'responses.json#/definitions/photos_saveMessagesPhoto_response'],
    ['photos.saveWallPhoto.json', 'responses.json#/definitions/photos_saveWallPhoto_response'],
    ['docs.getUploadServer.json', 'responses.json#/definitions/docs_getUploadServer_response'],
    ['docs.save.json', 'responses.json#/definitions/docs_save_response'],
  ])('%s is a %s', (file, ref) => {
    expect(checkVk(ref, fixture('vk', file))).toEqual([]);
  });

  it('an upload server\'s answer for a document is the file data docs.save takes', () => {
    // The upload hosts are no API method; vk-api-schema describes their answer for documents only.
    expect(checkVk('responses.json#/definitions/docs_doc_upload_response', { response: fixture('vk', 'upload.doc.json') })).toEqual([]);
    expect(checkVk('responses.json#/definitions/docs_doc_upload_response', { response: { file: 7 } }).join()).toMatch(/must be string/);
  });

  it('every Long Poll event is a callback_base with an object of its type', () => {
    const { updates } = fixture('vk', 'longpoll.updates.json') as { updates: Rec[] };
    const objectRef: Record<string, string> = {
      wall_reply_new: 'objects.json#/definitions/callback_wall_reply_new',
      message_new: 'objects.json#/definitions/callback_message_object',
      message_reply: 'objects.json#/definitions/callback_message',
    };
    for (const event of updates) {
      const { object, ...base } = event;
      expect(checkVk('objects.json#/definitions/callback_base', base)).toEqual([]);
      const ref = objectRef[String(event.type)];
      expect(ref).toBeDefined();
      expect(checkVk(ref!, object)).toEqual([]);
    }
    // message_new wraps a full message, whose required fields are checked one level down.
    const wrapped = (updates[2]!.object as { message: Rec }).message;
    expect(checkVk('objects.json#/definitions/callback_message', wrapped)).toEqual([]);
  });

  it('the replies fixture (a comment answering ours, a message answering ours) is made of valid events', () => {
    const { updates } = fixture('vk', 'longpoll.replies.json') as { updates: Rec[] };
    const [comment, message] = updates as [Rec, Rec];
    for (const event of updates) expect(checkVk('objects.json#/definitions/callback_base', (({ object: _o, ...base }) => base)(event))).toEqual([]);
    expect(checkVk('objects.json#/definitions/callback_wall_reply_new', comment.object)).toEqual([]);
    expect(checkVk('objects.json#/definitions/callback_message_object', message.object)).toEqual([]);
    const wrapped = (message.object as { message: Rec }).message;
    expect(checkVk('objects.json#/definitions/callback_message', wrapped)).toEqual([]);
    expect(checkVk('objects.json#/definitions/messages_foreign_message', wrapped.reply_message)).toEqual([]);
  });

  it('error fixtures carry codes that errors.json lists, in the wire format', () => {
    const codes = vkErrorCodes();
    const files = readdirSync(join(fixturesDir, 'vk')).filter((file) => file.startsWith('error.'));
    expect(files.length).toBe(13);
    for (const file of files) {
      const body = fixture('vk', file) as { error: { error_code: number; error_msg: string; request_params: { key: string; value: string }[] } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(codes.has(body.error.error_code)).toBe(true);
      expect(typeof body.error.error_msg).toBe('string');
      expect(body.error.request_params.every((param) => typeof param.key === 'string' && typeof param.value === 'string')).toBe(true);
    }
  });
});

describe('Telegram fixtures match the Bot API', () => {
  it('getUpdates is the 200 answer of the OpenAPI document (8.1) and each update an Update of api.json (10.1)', () => {
    const body = fixture('telegram', 'getUpdates.json') as { result: unknown[] };
    expect(checkTelegramOpenApi('#/paths/~1getUpdates/post/responses/200/content/application~1json/schema', body)).toEqual([]);
    body.result.forEach((update, index) => expect(checkTelegramType('Update', update, `result[${index}]`)).toEqual([]));
  });

  it('getUpdates.replies (answers to the bot in private and in a thread) is valid the same way', () => {
    const body = fixture('telegram', 'getUpdates.replies.json') as { result: unknown[] };
    expect(checkTelegramOpenApi('#/paths/~1getUpdates/post/responses/200/content/application~1json/schema', body)).toEqual([]);
    body.result.forEach((update, index) => expect(checkTelegramType('Update', update, `result[${index}]`)).toEqual([]));
  });

  it('sendMessage answers with a Message', () => {
    const body = fixture('telegram', 'sendMessage.json') as { result: unknown };
    expect(checkTelegramOpenApi('#/paths/~1sendMessage/post/responses/200/content/application~1json/schema', body)).toEqual([]);
    expect(checkTelegramType('Message', body.result)).toEqual([]);
  });

  it.each([['sendPhoto.json', '/sendPhoto'], ['sendMediaGroup.json', '/sendMediaGroup'], ['getFile.json', '/getFile']])('%s is the 200 answer of %s, in the types of api.json', (file, path) => {
    const body = fixture('telegram', file) as { result: unknown };
    expect(checkTelegramOpenApi(`#/paths/~1${path.slice(1)}/post/responses/200/content/application~1json/schema`, body)).toEqual([]);
    const results = Array.isArray(body.result) ? body.result : [body.result];
    results.forEach((result, index) => expect(checkTelegramType(file === 'getFile.json' ? 'File' : 'Message', result, `result[${index}]`)).toEqual([]));
  });

  it('the OpenAPI check rejects a wrong type', () => {
    expect(checkTelegramOpenApi('#/components/schemas/Update', { update_id: 'один' }).join()).toMatch(/update_id must be integer/);
  });

  it('the api.json check rejects a field the type does not have and a missing required one', () => {
    expect(checkTelegramType('User', { id: 1, first_name: 'А', is_bot: false, nickname: 'x' })).toEqual(['User.nickname: not a field of User']);
    expect(checkTelegramType('User', { id: 1, is_bot: false })).toEqual(['User.first_name: required by User']);
  });

  it.each(['error.400.json', 'error.401.json', 'error.403.blocked.json', 'error.403.kicked.json', 'error.403.initiate.json', 'error.429.json', 'error.429.legacy.json'])('%s is an Error envelope', (file) => {
    expect(checkTelegramOpenApi('#/components/schemas/Error', fixture('telegram', file))).toEqual([]);
  });
});

describe('OK fixtures match the apiok documentation', () => {
  it.each([
    ['graph.chats.json', 'graph.user/graph.user.chats/get.md', 0],
    ['graph.messages.json', 'graph.user/graph.user.messages/get.md', 0],
    ['graph.sendToUser.denied.json', 'graph.user/graph.user.messages/post.md', 9],
  ] as const)('%s has only the fields and kinds of the example in %s', (file, page, index) => {
    expect(checkOkShape(okDocExample(page, index), fixture('ok', file))).toEqual([]);
  });

  it('discussions.getComments.replies has only the fields of the comments fixture, which follows client code', () => {
    // The apiok pages give no getComments example; the shape is the one the other fixture documents.
    expect(checkOkShape(fixture('ok', 'discussions.getComments.json'), fixture('ok', 'discussions.getComments.replies.json'))).toEqual([]);
  });

  it('a chat of graph.user.chats matches the single-chat example of graph.user.chat', () => {
    const { chats } = fixture('ok', 'graph.chats.json') as { chats: unknown[] };
    expect(checkOkShape(okDocExample('graph.user/graph.user.chat/get.md'), chats[0])).toEqual([]);
  });

  it('the shape check catches a renamed field and a wrong kind', () => {
    const example = okDocExample('graph.user/graph.user.messages/get.md');
    const bad = structuredClone(fixture('ok', 'graph.messages.json')) as { messages: { timestamp: unknown; message: Record<string, unknown> }[] };
    bad.messages[0]!.timestamp = '1763977500000';
    bad.messages[0]!.message.body = 'текст';
    expect(checkOkShape(example, bad)).toEqual(['$.messages[0].message.body: not in the documented example', '$.messages[0].timestamp: string, the docs show number']);
  });

  it('the REST parameters the connector sends are the documented ones', () => {
    expect(okDocParams('discussions.getComments')).toEqual(expect.arrayContaining(['discussionId', 'discussionType', 'anchor', 'direction', 'count']));
    expect(okDocParams('discussions.getList')).toEqual(expect.arrayContaining(['types', 'count']));
    expect(okDocParams('discussions.addDiscussionComment')).toEqual(expect.arrayContaining(['entityId', 'entityType', 'comment', 'reply_to_comment_id', 'as_admin']));
  });

  it('error fixtures have the documented error body', () => {
    const files = readdirSync(join(fixturesDir, 'ok')).filter((file) => file.startsWith('error.'));
    expect(files.map((file) => Number(file.split('.')[1])).sort((a, b) => a - b)).toEqual([2, 8, 102, 104, 454, 455, 456, 457, 458]);
    for (const file of files) {
      const body = fixture('ok', file) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['error_code', 'error_msg', 'error_data']);
      expect(Number.isInteger(body.error_code)).toBe(true);
      expect(typeof body.error_msg).toBe('string');
    }
  });
});
