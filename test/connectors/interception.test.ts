import { describe, it, expect, afterEach } from '@jest/globals';
import nock from 'nock';
import axios from 'axios';
import { API, APIRequest } from 'vk-io';
import TelegramBot from 'node-telegram-bot-api';

afterEach(() => { nock.cleanAll(); });

describe('nock 13 intercepts the three client libraries under ESM jest', () => {
  it('intercepts vk-io (node-fetch)', async () => {
    nock('https://api.vk.ru').post('/method/users.get').reply(200, { response: [{ id: 1, first_name: 'Павел', last_name: 'Дуров' }] });
    const api = new API({ token: 'vk-token' });
    const raw = await new APIRequest({ api, method: 'users.get', params: {} }).make();
    expect(raw).toEqual({ response: [{ id: 1, first_name: 'Павел', last_name: 'Дуров' }] });
  });
  it('intercepts axios', async () => {
    nock('https://api.ok.ru').get('/fb.do').query(true).reply(200, { uid: '1' });
    const res = await axios.get('https://api.ok.ru/fb.do', { params: { method: 'users.getCurrentUser' } });
    expect(res.data).toEqual({ uid: '1' });
  });
  it('intercepts node-telegram-bot-api 0.x (request)', async () => {
    nock('https://api.telegram.org').post('/bot123:abc/getMe').reply(200, { ok: true, result: { id: 123, is_bot: true, first_name: 'Отклик' } });
    const bot = new TelegramBot('123:abc', { polling: false });
    await expect(bot.getMe()).resolves.toEqual({ id: 123, is_bot: true, first_name: 'Отклик' });
  });
  it('lets nothing through to the real network', async () => {
    nock.disableNetConnect();
    try {
      await expect(axios.get('https://api.ok.ru/fb.do')).rejects.toThrow(/Nock: Disallowed net connect/);
    } finally {
      nock.enableNetConnect();
    }
  });
});
