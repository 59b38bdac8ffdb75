import { TelegramClient } from '../connectors/telegram/client.js';
import { TenantRuntimeCache } from '../store/tenant-runtime.js';
import { runWorker } from './harness.js';
import { StaffBot } from './staff-bot/bot.js';

/**
 * The staff bot: one Telegram bot for the whole deployment (OTKLIK_STAFF_BOT_TOKEN);
 * staff are told apart by their Telegram user id, registered per tenant. Each round
 * delivers the waiting notices, then long-polls for presses and messages. Everything it
 * keeps (awaited texts, choices, notices) is in the store, so a restart loses nothing.
 */
const LONG_POLL_SEC = 10;

await runWorker({
  role: 'staff-bot',
  serves: 'curators, executors and heads of every tenant in Telegram',
  async main({ store, log, signal, sleep }) {
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
    let failures = 0;
    while (!signal.aborted) {
      try {
        await bot.deliverNotices();
        await bot.pollOnce();
        failures = 0;
      } catch (error) {
        // Telegram or the store is down: wait with a capped backoff and go on, awaited here.
        failures += 1;
        const waitMs = Math.min(60000, 1000 * 2 ** Math.min(failures, 6)) * (0.5 + Math.random());
        log.warn({ err: error, waitMs }, 'staff bot round failed; waiting');
        await sleep(waitMs);
      }
    }
  },
});
