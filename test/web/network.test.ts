// The workplace names every network: a MAX message's incident shows «MAX» in the inbox and
// on its card, and the inbox's network filter offers MAX and keeps only its incidents.
// The real server over HTTP on the real store; the incidents made by the classifier's step.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Network, NormalizedMessage } from '../../connectors/types.js';
import { classifyQueued } from '../support/classify.js';
import { rawDb } from '../support/store.js';
import { PASSWORD, setPassword, startWorkplace, type Workplace } from './support/workplace.js';

// Wednesday 2026-11-25 09:30 Moscow: office hours of the example tenant.
const T0 = new Date('2026-11-25T06:30:00Z');
const ACCOUNTS: Readonly<Record<Network, string>> = { vk: 'vk-main', ok: 'ok-main', telegram: 'tg-bot', max: 'max-bot' };

/** A MAX channel comment and a VK comment, as their connectors normalize them. */
function citizenMessage(network: 'max' | 'vk', id: string, text: string): NormalizedMessage {
  const place = network === 'max'
    ? { containerId: '-70801090403050', postId: 'mid.0000ad5000000001', itemId: id, url: `https://max.ru/zarechensk_adm/${id}` }
    : { containerId: '-218475963', postId: '1377', itemId: id, url: `https://vk.com/wall-218475963_1377?reply=${id}` };
  return {
    network, externalId: id, kind: 'comment', place,
    author: { id: '210000102', name: 'Наталья Кузнецова', anonymous: false }, text, attachments: [], createdAt: new Date(T0.getTime() - 60_000), matchedKeywords: [], raw: { id },
  };
}

describe('the workplace shows the MAX network', () => {
  let workplace: Workplace;
  const cookies = new Map<string, string>();

  async function get(url: string): Promise<string> {
    const response = await fetch(`${workplace.url}${url}`, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(response.status).toBe(200);
    return response.text();
  }

  beforeAll(async () => {
    workplace = await startWorkplace('web_network', { now: () => T0 });
    const { store } = workplace;
    const max = citizenMessage('max', 'mid.0000ad5000000077', 'Администрация, на улице Садовой третий день нет воды, когда дадут?');
    const vk = citizenMessage('vk', '9101', 'Администрация, на улице Лесной яма на дороге, машины бьют колёса.');
    for (const m of [max, vk]) await store.messages.ingest('zarechensk', [m], ACCOUNTS[m.network]);
    // Detected when fetched: as if the connector had fetched them at T0.
    await rawDb(store).collection('messages').updateMany({}, { $set: { fetchedAt: T0 } });
    await classifyQueued(store, new Date(T0.getTime() + 20_000));
    await setPassword(store, 'smirnov', [{ tenant: 'zarechensk', code: 'smirnov' }]);
    const login = await fetch(`${workplace.url}/login`);
    for (const line of login.headers.getSetCookie()) cookies.set(line.split('=')[0]!, line.split(';')[0]!.split('=').slice(1).join('='));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const signedIn = await fetch(`${workplace.url}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, login: 'smirnov', password: PASSWORD }).toString(),
    });
    expect(signedIn.status).toBe(303);
    for (const line of signedIn.headers.getSetCookie()) cookies.set(line.split('=')[0]!, line.split(';')[0]!.split('=').slice(1).join('='));
  }, 60_000);

  afterAll(async () => {
    await workplace?.close();
  }, 60_000);

  const rowOf = (page: string, text: string) => page.split('<tr data-number=').find((row) => row.includes(text));

  it('labels the MAX incident «MAX» in the inbox and on its card', async () => {
    const inbox = await get('/inbox');
    const row = rowOf(inbox, 'улице Садовой');
    expect(row).toBeDefined();
    expect(row).toContain('<td>MAX</td>');
    expect(rowOf(inbox, 'улице Лесной')).toContain('<td>ВКонтакте</td>');
    const number = /^"(\d+)"/.exec(row!)![1]!;
    const card = await get(`/incidents/${number}`);
    expect(card).toContain('MAX · ');
    expect(card).toContain('https://max.ru/zarechensk_adm/mid.0000ad5000000077');
  });

  it('the network filter offers MAX and keeps only MAX incidents', async () => {
    const inbox = await get('/inbox');
    expect(inbox).toMatch(/<option value="max"[^>]*>MAX<\/option>/);
    const onlyMax = await get('/inbox?network=max');
    expect(rowOf(onlyMax, 'улице Садовой')).toContain('<td>MAX</td>');
    expect(rowOf(onlyMax, 'улице Лесной')).toBeUndefined();
  });
});
