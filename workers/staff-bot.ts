import { TelegramClient } from '../connectors/telegram/client.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import type { NoticeDelivery } from '../store/notices.js';
import type { WorkerDefinition } from './harness.js';
import { backoffMs, runProcessor } from './processor.js';
import { StaffBot } from './staff-bot/bot.js';

/**
 * The staff bot: one Telegram bot for the whole deployment (OTKLIK_STAFF_BOT_TOKEN);
 * staff are told apart by their Telegram user id, registered per tenant. Notices are
 * delivered by the work processor (the `notice` queue); beside it, the bot long-polls for
 * presses and messages. Everything it keeps (awaited texts, choices, notices) is in the
 * store, so a restart loses nothing.
 */
const LONG_POLL_SEC = 10;

export const worker: WorkerDefinition = {
  role: 'staff-bot',
  serves: 'curators, executors and heads of every tenant in Telegram',
  async main({ store, log, signal, sleep, workerId }) {
    const token = process.env.OTKLIK_STAFF_BOT_TOKEN;
    if (!token) {
      // Not a crash: pm2 would restart it in a loop. The admin sees why in the log.
      log.error('OTKLIK_STAFF_BOT_TOKEN is not set: the staff bot stays off until it is');
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      return;
    }
    const baseApiUrl = process.env.OTKLIK_STAFF_BOT_API_URL;
    const client = new TelegramClient({ token, longPollWaitSec: LONG_POLL_SEC, ...(baseApiUrl ? { baseApiUrl } : {}) });
    const bot = new StaffBot({ store, client, runtimes: new TenantRuntimeCache(store), log });
    const delivering = runProcessor<NoticeDelivery>({ store, log, signal, sleep, owner: workerId }, {
      kind: 'notice', batchSize: 10, leaseMs: 60_000, maxAttempts: 20, idleMaxMs: 1000,
      async handle(items) {
        const outcomes = [];
        for (const held of items) outcomes.push(await bot.deliverNotice(held));
        return outcomes;
      },
    });
    const polling = (async () => {
      let failures = 0;
      while (!signal.aborted) {
        try {
          await bot.pollOnce();
          failures = 0;
        } catch (error) {
          // Telegram or the store is down: wait with a capped backoff and go on, awaited here.
          failures += 1;
          const waitMs = backoffMs(failures, 1000, 60_000, 0.5);
          log.warn({ err: error, waitMs }, 'staff bot round failed; waiting');
          await sleep(waitMs);
        }
      }
    })();
    await Promise.all([delivering, polling]);
  },
};
