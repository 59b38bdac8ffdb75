import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Store } from '../../store/port.js';
import { openTestStore, dropTestStore } from '../support/store.js';
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox } from '../../sandbox/server.js';
import { buildConnector } from '../../connectors/factory.js';
import type { PublishAttemptLog } from '../../connectors/connector.js';
import type { NormalizedMessage } from '../../connectors/types.js';

let sandbox: Sandbox;
let store: Store;
beforeAll(async () => { [sandbox, store] = await Promise.all([startSandbox({ port: 0 }), openTestStore('publish_recovery')]); });
afterAll(async () => { await sandbox.stop(); await dropTestStore(store); });

const env = {
  VK_TOKEN: SANDBOX_CREDENTIALS.vk.token, TG_TOKEN: SANDBOX_CREDENTIALS.telegram.token,
  OK_TOKEN: SANDBOX_CREDENTIALS.ok.accessToken, OK_KEY: SANDBOX_CREDENTIALS.ok.applicationKey, OK_SECRET: SANDBOX_CREDENTIALS.ok.applicationSecretKey,
};
const accounts = {
  vk: { network: 'vk', name: 'vk', groupId: String(SANDBOX_CREDENTIALS.vk.groupId), tokenEnv: 'VK_TOKEN', path: '/vk/method' },
  telegram: { network: 'telegram', name: 'bot', tokenEnv: 'TG_TOKEN', discussionChatIds: [String(SANDBOX_CREDENTIALS.telegram.discussionChatId)], path: '/tg' },
  ok: { network: 'ok', name: 'ok', groupId: SANDBOX_CREDENTIALS.ok.groupId, tokenEnv: 'OK_TOKEN', applicationKeyEnv: 'OK_KEY', applicationSecretEnv: 'OK_SECRET', path: '/ok' },
} as const;

function connector(network: keyof typeof accounts, attempts: PublishAttemptLog) {
  const { path, ...account } = accounts[network];
  return buildConnector({ ...account, apiBaseUrl: `${sandbox.url}${path}` }, { env, keywords: [], attempts, longPollWaitSec: 0 });
}

/** The store's log, except that the process "dies" after the post went out and before it was marked done. */
function crashingAfterPost(log: PublishAttemptLog): PublishAttemptLog {
  return { ...log, complete: async () => { throw new Error('process killed'); } };
}

async function aComment(network: keyof typeof accounts): Promise<NormalizedMessage> {
  const reader = connector(network, store.publication.attemptLog);
  const first = await reader.fetchSince(null);
  sandbox.emit(network, 6);
  const batch = await reader.fetchSince(first.cursor);
  const comment = batch.messages.find((m) => m.kind === 'comment');
  if (comment === undefined) throw new Error(`the scripted ${network} stream had no comment`);
  return comment;
}

const posted = (text: string) => sandbox.recorded.filter((post) => post.text === text);

describe('a crash between posting and recording, with the store\'s attempt log', () => {
  it('VK: the retry sends the same guid and VK returns the first comment, posted once', async () => {
    const comment = await aComment('vk');
    const text = 'Ответ ВКонтакте после сбоя';
    await expect(connector('vk', crashingAfterPost(store.publication.attemptLog)).reply({ answerId: 'vk-crash' }, comment, text)).resolves.toMatchObject({ status: 'published' });
    const again = await connector('vk', store.publication.attemptLog).reply({ answerId: 'vk-crash' }, comment, text);
    expect(again).toMatchObject({ status: 'published', externalId: posted(text)[0]!.id });
    expect(posted(text)).toHaveLength(1);
  });

  it('OK: the restarted publisher finds its comment in the topic and does not post again', async () => {
    const comment = await aComment('ok');
    const text = 'Ответ в Одноклассниках после сбоя';
    await expect(connector('ok', crashingAfterPost(store.publication.attemptLog)).reply({ answerId: 'ok-crash' }, comment, text)).rejects.toThrow('process killed');
    const again = await connector('ok', store.publication.attemptLog).reply({ answerId: 'ok-crash' }, comment, text);
    expect(again).toEqual({ status: 'published', externalId: posted(text)[0]!.id, recovered: true });
    expect(posted(text)).toHaveLength(1);
  });

  it('Telegram: the restarted publisher cannot read the chat, so it reports uncertain instead of posting twice', async () => {
    const comment = await aComment('telegram');
    const text = 'Ответ в Telegram после сбоя';
    await expect(connector('telegram', crashingAfterPost(store.publication.attemptLog)).reply({ answerId: 'tg-crash' }, comment, text)).rejects.toThrow('process killed');
    await expect(connector('telegram', store.publication.attemptLog).reply({ answerId: 'tg-crash' }, comment, text)).resolves.toMatchObject({ status: 'uncertain' });
    expect(posted(text)).toHaveLength(1);
  });
});
