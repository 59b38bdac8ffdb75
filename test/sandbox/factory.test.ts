import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { inspect } from 'node:util';
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox } from '../../sandbox/server.js';
import { buildConnector, AccountSetupError, type AccountSpec } from '../../connectors/factory.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import type { AccountEntry } from '../../config/tenant-schema.js';

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startSandbox({ port: 0 }); });
afterAll(async () => { await sandbox.stop(); });

const env = {
  VK_TOKEN: SANDBOX_CREDENTIALS.vk.token,
  TG_TOKEN: SANDBOX_CREDENTIALS.telegram.token,
  OK_TOKEN: SANDBOX_CREDENTIALS.ok.accessToken,
  OK_KEY: SANDBOX_CREDENTIALS.ok.applicationKey,
  OK_SECRET: SANDBOX_CREDENTIALS.ok.applicationSecretKey,
};
const deps = () => ({ env, keywords: ['администрац'], attempts: new MemoryAttemptLog(), longPollWaitSec: 0 });

describe('buildConnector from a tenant account', () => {
  it('accepts the tenant file\'s account entries as they are', () => {
    const entry: AccountEntry = { network: 'vk', name: 'vk-main', groupId: '1', tokenEnv: 'VK_TOKEN', keywordLists: [], enabled: true };
    const spec: AccountSpec = entry;
    expect(spec.name).toBe('vk-main');
  });

  it.each([
    { network: 'vk', name: 'vk-main', groupId: String(SANDBOX_CREDENTIALS.vk.groupId), tokenEnv: 'VK_TOKEN', path: '/vk/method' },
    { network: 'telegram', name: 'bot', tokenEnv: 'TG_TOKEN', discussionChatIds: [String(SANDBOX_CREDENTIALS.telegram.discussionChatId)], path: '/tg' },
    { network: 'ok', name: 'ok-group', groupId: SANDBOX_CREDENTIALS.ok.groupId, tokenEnv: 'OK_TOKEN', applicationKeyEnv: 'OK_KEY', applicationSecretEnv: 'OK_SECRET', path: '/ok' },
  ] as const)('$network: polls the sandbox through the base URL of the account', async ({ path, ...account }) => {
    const connector = buildConnector({ ...account, apiBaseUrl: `${sandbox.url}${path}` }, deps());
    const first = await connector.fetchSince(null);
    sandbox.emit(account.network, 5);
    const second = await connector.fetchSince(first.cursor);
    expect(second.messages).toHaveLength(5);
    expect(second.messages.every((m) => m.network === account.network)).toBe(true);
    // Neither the connector nor anything it holds shows a secret when logged.
    const shown = inspect(connector, { depth: 12 });
    for (const secret of Object.values(env)) {
      if (secret !== SANDBOX_CREDENTIALS.ok.applicationKey) expect(shown).not.toContain(secret);
    }
  });

  it('a missing secret names the account and the variable, in Russian, before any request', () => {
    expect(() => buildConnector({ network: 'ok', name: 'ok-group', groupId: '1', tokenEnv: 'OK_TOKEN', applicationKeyEnv: 'OK_KEY', applicationSecretEnv: 'NO_SUCH_VAR' }, deps()))
      .toThrow(new AccountSetupError('ok-group', 'Аккаунт «ok-group»: не задана переменная окружения NO_SUCH_VAR с секретным ключом приложения.'));
    expect(() => buildConnector({ network: 'vk', name: 'vk', groupId: '-5', tokenEnv: 'VK_TOKEN' }, deps())).toThrow(/положительным числом/);
  });
});
