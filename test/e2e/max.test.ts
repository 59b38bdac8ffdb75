import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../sandbox/server.js';
import type { Store } from '../../store/connection.js';
import type { StoredIncident } from '../../store/port.js';
import { actOnce } from '../support/staff-driver.js';
import { allIncidents, dropTestStore, openTestStore, rawDb, testStoreUri } from '../support/store.js';
import { startWorker, waitUntil, type WorkerProcess } from '../support/worker-processes.js';

// The sandbox's whole script twice and a little more (complaints, questions, thanks, abuse,
// advertising): its seeded draw gives every shape MAX has, a town-chat message naming the
// administration in the tenant's keywords among them. Town-chat talk that does not name it
// in those words («Спасибо администрации…») is rightly not taken, so fewer are stored.
const EMITTED = 60;
const ANSWERED = ['published', 'published-private'];

interface StoredMaxMessage {
  readonly _id: string;
  readonly kind: 'comment' | 'private' | 'mention';
  readonly externalId: string;
  readonly place: { readonly containerId: string; readonly postId?: string; readonly itemId: string };
  readonly author: { readonly id: string };
}

/**
 * Issue 14's "done when": citizens write to the administration on MAX (the sandbox's
 * channel comments, its bot's dialogs, mentions in the town chat), the real connector,
 * classifier and publisher processes take each to an incident and, once staff approve the
 * answer, to a post the sandbox recorded — in the same place, once. The example
 * municipality's own MAX account, as `npm start` loads it.
 */
describe('MAX end to end: a sandbox message becomes an incident and its approved answer is posted (workers, embedded store, sandbox)', () => {
  let store: Store;
  let sandbox: Sandbox;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    store = await openTestStore('e2e_max');
    sandbox = await startSandbox({ port: 0 });
    const raw = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as { accounts: Array<{ apiBaseUrl?: string }> };
    for (const account of raw.accounts) account.apiBaseUrl = account.apiBaseUrl?.replace('http://127.0.0.1:8787', sandbox.url);
    const tenant = tenantFileSchema.parse(raw);
    expect(tenant.accounts.filter((a) => a.network === 'max').map((a) => a.apiBaseUrl)).toEqual([`${sandbox.url}/max`]);
    await store.tenants.importFile(tenant);
    const env = { MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: store.dbName, OTKLIK_SANDBOX_URL: sandbox.url };
    for (const role of [['connector', 'max'], ['classifier'], ['publisher']]) workers.push(startWorker(role, env));
  }, 60000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await sandbox.stop();
    await dropTestStore(store);
  }, 60000);

  it('answers each MAX message where it was written: under the channel post, in the dialog, in the town chat', async () => {
    const db = rawDb(store);
    await waitUntil('the MAX connector to start polling', async () => (await db.collection('networkCursors').countDocuments({ network: 'max' })) >= 1, 60000);
    sandbox.emit('max', EMITTED);
    // Stored when the count has stopped growing for a few seconds.
    let last = -1;
    let steadySince = Date.now();
    const messages = await waitUntil('the MAX messages to be stored', async () => {
      const stored = (await db.collection('messages').find({ network: 'max' }).toArray()) as unknown as StoredMaxMessage[];
      if (stored.length !== last) {
        last = stored.length;
        steadySince = Date.now();
        return undefined;
      }
      return stored.length > 0 && Date.now() - steadySince > 5000 ? stored : undefined;
    }, 180000);
    expect(messages.length).toBeGreaterThan(EMITTED * 0.9);
    expect(messages.length).toBeLessThanOrEqual(EMITTED);
    // Every shape MAX has reached the store: channel comments, dialogs with the bot, town-chat mentions.
    expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(['comment', 'private', 'mention']));
    await waitUntil('every MAX message classified', async () => (await allIncidents(store)).length === messages.length, 180000);

    const runtime = await store.tenants.runtime('zarechensk');
    const incidents = await waitUntil('every incident answered', async () => {
      await actOnce(store, runtime, () => 'answer');
      const all = await allIncidents(store);
      return all.every((i) => ANSWERED.includes(i.state) || i.state === 'rejected') ? all : undefined;
    }, 240000, 300);

    const answered = incidents.filter((i) => ANSWERED.includes(i.state));
    // Abuse and advertising are set aside by the classifier and get no answer.
    expect(incidents.filter((i) => i.state === 'rejected').length).toBeGreaterThan(0);
    expect(answered.length).toBeGreaterThan(EMITTED / 2);
    for (const incident of incidents) expect(incident.network).toBe('max');
    const posts = sandbox.recorded;
    // One post per answered incident, none twice, all on MAX.
    expect(posts.map((p) => p.network)).toEqual(answered.map(() => 'max'));
    const { channelId, cityChatId } = SANDBOX_CREDENTIALS.max;
    const messageOf = (i: StoredIncident) => messages.find((m) => m._id === i.message)!;
    const kindsAnswered = new Set<string>();
    for (const incident of answered) {
      const message = messageOf(incident);
      const mine = posts.filter((p) => p.text.includes(`По обращению № ${incident.number} `));
      expect(mine).toHaveLength(1);
      const post = mine[0]!;
      // The network's id of the post is what the incident keeps as its published answer.
      expect(incident.publication.attempts.map((a) => a.externalId)).toContain(post.id);
      expect(incident.state).toBe('published');
      kindsAnswered.add(message.kind);
      // 004 [3.4]: a comment is answered publicly under its post, a private message privately,
      // a town-chat mention in that chat as a reply to it.
      if (message.kind === 'comment') {
        expect(message.place.containerId).toBe(String(channelId));
        expect(post).toMatchObject({ method: 'POST /messages/{messageId}/comments', target: `post:${message.place.postId}`, replyTo: message.externalId });
      } else if (message.kind === 'private') {
        // The dialog with the bot is a chat of its own: the answer goes there, as a reply.
        expect(post).toMatchObject({ method: 'POST /messages', target: `chat:${message.place.containerId}`, replyTo: message.externalId });
      } else {
        expect(message.place.containerId).toBe(String(cityChatId));
        expect(post).toMatchObject({ method: 'POST /messages', target: `chat:${cityChatId}`, replyTo: message.externalId });
      }
    }
    expect(kindsAnswered).toEqual(new Set(['comment', 'private', 'mention']));
  }, 480000);
});
