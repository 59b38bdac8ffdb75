import { describe, it, expect } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkTelegramOpenApi, checkTelegramType, checkVk, fixture, fixturesDir, vkErrorCodes, vkRequiredFlagsMoved } from './support/reference.js';

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
  ])('%s is a %s', (file, ref) => {
    expect(checkVk(ref, fixture('vk', file))).toEqual([]);
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

  it('sendMessage answers with a Message', () => {
    const body = fixture('telegram', 'sendMessage.json') as { result: unknown };
    expect(checkTelegramOpenApi('#/paths/~1sendMessage/post/responses/200/content/application~1json/schema', body)).toEqual([]);
    expect(checkTelegramType('Message', body.result)).toEqual([]);
  });

  it('the api.json check rejects a field the type does not have and a missing required one', () => {
    expect(checkTelegramType('User', { id: 1, first_name: 'А', is_bot: false, nickname: 'x' })).toEqual(['User.nickname: not a field of User']);
    expect(checkTelegramType('User', { id: 1, is_bot: false })).toEqual(['User.first_name: required by User']);
  });

  it.each(['error.400.json', 'error.401.json', 'error.403.blocked.json', 'error.403.kicked.json', 'error.403.initiate.json', 'error.429.json', 'error.429.legacy.json'])('%s is an Error envelope', (file) => {
    expect(checkTelegramOpenApi('#/components/schemas/Error', fixture('telegram', file))).toEqual([]);
  });
});
