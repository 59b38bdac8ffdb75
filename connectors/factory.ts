import type { Network } from './types.js';
import type { NetworkConnector, PublishAttemptLog } from './connector.js';
import type { ResponseLimits } from './transport.js';
import type { AttachmentSource } from './attachments.js';
import { VkClient } from './vk/client.js';
import { VkConnector } from './vk/connector.js';
import { TelegramClient } from './telegram/client.js';
import { TelegramConnector } from './telegram/connector.js';
import { OkClient } from './ok/client.js';
import { OkConnector } from './ok/connector.js';
import { MaxClient } from './max/client.js';
import { MaxConnector } from './max/connector.js';

/**
 * One account of a tenant, as the tenant file describes it (config/tenant-schema.ts
 * `accountSchema`): secrets are named by environment variables, never written in the file.
 * `apiBaseUrl` is the client's own base option: VK `…/method`, Telegram the root before
 * `/bot<token>`, OK the root before `/fb.do`, MAX the root before `/updates`; the sandbox
 * serves them at `/vk/method`, `/tg`, `/ok` and `/max`.
 */
export interface AccountSpec {
  readonly network: Network;
  readonly name: string;
  readonly groupId?: string;
  readonly discussionChatIds?: readonly string[];
  readonly tokenEnv: string;
  readonly userTokenEnv?: string;
  readonly applicationKeyEnv?: string;
  readonly applicationSecretEnv?: string;
  readonly apiBaseUrl?: string;
}

export interface ConnectorDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly keywords: readonly string[];
  readonly attempts: PublishAttemptLog;
  readonly timeoutMs?: number;
  readonly longPollWaitSec?: number;
  /** Response caps of the clients (transport.ts); the defaults suit production. */
  readonly limits?: Partial<ResponseLimits>;
}

/** An account that cannot be started as configured; the message is for the admin, in Russian. */
export class AccountSetupError extends Error {
  override readonly name = 'AccountSetupError';
  constructor(readonly accountName: string, message: string) {
    super(message);
  }
}

/** The connector of one account; it also downloads incoming attachments for staff (AttachmentSource). */
export function buildConnector(account: AccountSpec, deps: ConnectorDeps): NetworkConnector<unknown> & AttachmentSource {
  const secret = (variable: string | undefined, what: string): string => {
    const value = variable === undefined ? undefined : deps.env[variable];
    if (value === undefined || value === '') {
      throw new AccountSetupError(account.name, `Аккаунт «${account.name}»: не задана переменная окружения ${variable ?? '(не указана)'} с ${what}.`);
    }
    return value;
  };
  // Each client keeps its own guarded agent (transport.ts), http or https by its base URL.
  const common = { ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }), ...(deps.limits === undefined ? {} : { limits: deps.limits }) };
  switch (account.network) {
    case 'vk': {
      const groupId = Number(account.groupId);
      if (!Number.isInteger(groupId) || groupId <= 0) throw new AccountSetupError(account.name, `Аккаунт «${account.name}»: id сообщества ВКонтакте должен быть положительным числом.`);
      const base = account.apiBaseUrl === undefined ? {} : { apiBaseUrl: account.apiBaseUrl };
      const client = new VkClient({ token: secret(account.tokenEnv, 'ключом доступа сообщества'), tokenKind: 'community', ...base, ...common });
      const searchClient = account.userTokenEnv === undefined ? undefined
        : new VkClient({ token: secret(account.userTokenEnv, 'ключом пользователя для поиска упоминаний'), tokenKind: 'user', ...base, ...common });
      return new VkConnector({
        accountId: account.name, groupId, client, keywords: deps.keywords,
        ...(searchClient === undefined ? {} : { searchClient }),
        ...(deps.longPollWaitSec === undefined ? {} : { longPollWaitSec: deps.longPollWaitSec }),
      }) as NetworkConnector<unknown> & AttachmentSource;
    }
    case 'telegram': {
      const client = new TelegramClient({
        token: secret(account.tokenEnv, 'токеном бота'), ...common,
        ...(account.apiBaseUrl === undefined ? {} : { baseApiUrl: account.apiBaseUrl }),
        ...(deps.longPollWaitSec === undefined ? {} : { longPollWaitSec: deps.longPollWaitSec }),
      });
      return new TelegramConnector({ accountId: account.name, client, attempts: deps.attempts, discussionChatIds: account.discussionChatIds ?? [], keywords: deps.keywords }) as NetworkConnector<unknown> & AttachmentSource;
    }
    case 'ok': {
      if (account.groupId === undefined) throw new AccountSetupError(account.name, `Аккаунт «${account.name}»: не указан id группы в Одноклассниках.`);
      const client = new OkClient({
        applicationKey: secret(account.applicationKeyEnv, 'публичным ключом приложения'),
        applicationSecretKey: secret(account.applicationSecretEnv, 'секретным ключом приложения'),
        accessToken: secret(account.tokenEnv, 'ключом доступа группы'),
        ...common,
        ...(account.apiBaseUrl === undefined ? {} : { baseUrl: account.apiBaseUrl }),
      });
      return new OkConnector({ accountId: account.name, groupId: account.groupId, client, attempts: deps.attempts, keywords: deps.keywords }) as NetworkConnector<unknown> & AttachmentSource;
    }
    case 'max': {
      const client = new MaxClient({
        token: secret(account.tokenEnv, 'токеном бота MAX'), ...common,
        ...(account.apiBaseUrl === undefined ? {} : { baseUrl: account.apiBaseUrl }),
        ...(deps.longPollWaitSec === undefined ? {} : { longPollWaitSec: deps.longPollWaitSec }),
      });
      return new MaxConnector({ accountId: account.name, client, attempts: deps.attempts, discussionChatIds: account.discussionChatIds ?? [], keywords: deps.keywords }) as NetworkConnector<unknown> & AttachmentSource;
    }
  }
}
