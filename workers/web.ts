import { openWebStore } from '../store/web/index.js';
import { deleteExpiredSignInTokens } from '../store/web/accounts.js';
import { LiveHub } from '../web/live.js';
import { buildWebApp } from '../web/server.js';
import { webBaseUrl, webPort } from '../web/tokens.js';
import type { WorkerDefinition } from './harness.js';

/**
 * The staff workplace in the browser (issue 11): HTTP on 127.0.0.1 (OTKLIK_WEB_PORT,
 * default 8790). A TLS proxy in front of it sets OTKLIK_WEB_URL=https://… so cookies are
 * sent only over HTTPS and the staff bot's sign-in links point there.
 */
const CLEANUP_EVERY_MS = 10 * 60_000;
const IDLE_MS = 2 * 3_600_000;

export const worker: WorkerDefinition = {
  role: 'web',
  serves: 'the staff workplace in the browser',
  async main({ store, log, signal, sleep }) {
    const webStore = await openWebStore(store);
    const live = new LiveHub(webStore, log);
    const baseUrl = webBaseUrl();
    const app = await buildWebApp({ store: webStore, live, logger: log, secureCookies: baseUrl.startsWith('https://'), idleMs: IDLE_MS });
    const host = process.env.OTKLIK_WEB_HOST ?? '127.0.0.1';
    const port = webPort();
    await app.listen({ host, port });
    live.start();
    log.info({ url: baseUrl, host, port }, `staff workplace at ${baseUrl}`);
    // Sessions and sign-in links that ran out are deleted on a timer (no TTL indexes in the embedded store).
    while (!signal.aborted) {
      try {
        const now = new Date();
        const sessions = await webStore.deleteExpiredSessions(now, IDLE_MS);
        const links = await deleteExpiredSignInTokens(store, now);
        if (sessions + links > 0) log.info({ sessions, links }, 'expired sessions and sign-in links deleted');
      } catch (error) {
        log.warn({ err: error }, 'could not delete expired sessions; next round tries again');
      }
      await sleep(CLEANUP_EVERY_MS);
    }
    live.stop();
    webStore.stop();
    await app.close();
  },
};
