import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { Network, NormalizedMessage } from '../../connectors/types.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { createLogger } from '../../config/logger.js';
import { messageKey } from '../../store/ids.js';
import type { ClaimedWork, PublicationAttemptRecord, Store, StoredIncident, TenantRuntime } from '../../store/port.js';
import type { PublishPayload } from '../../store/publication.js';
import { TenantRuntimeCache } from '../../store/tenant-runtime.js';
import type { Actor } from '../../workflow/incident-machine.js';
import { NO_CHANNEL_REASON } from '../../workflow/incident-states.js';
import { PublishingConnectors } from '../../workers/accounts.js';
import { settle } from '../../workers/processor.js';
import { privateFallbackText, publishWorkItem as publishStep, type PublishDeps, type PublishStepReport } from '../../workers/publication.js';
import { dropTestStore, openTestStore, rawDb, testStoreUri } from '../support/store.js';

const TENANT = 'zarechensk';
const ACCOUNTS: Readonly<Record<Network, string>> = { vk: 'vk-main', ok: 'ok-main', telegram: 'tg-bot', max: 'max-bot' };
const CURATOR: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };
const LEASE_MS = 60 * 1000;
// Tuesday 2026-11-24 10:00 Moscow: office hours of the example tenant.
const T0 = new Date('2026-11-24T07:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60 * 1000);
const PUBLISH = 'publish';
const quiet = createLogger('publisher-test', 'silent');

describe('publisher step against the sandbox (real clients, embedded store)', () => {
  let store: Store;
  let sandbox: Sandbox;
  let deps: PublishDeps;
  let runtime: TenantRuntime;
  /** Fetched from the sandbox by the real connectors, stored as the connector worker stores them. */
  const inbox: Record<Network, NormalizedMessage[]> = { vk: [], ok: [], telegram: [], max: [] };
  const used = new Set<string>();

  /** Emits scripted complaints (some from anonymous authors) and fetches them as the connector worker does. */
  async function fetchAll(network: Network, expected: number): Promise<NormalizedMessage[]> {
    const connector = (await deps.connectors.connectorFor(TENANT, network, ACCOUNTS[network]))!;
    // A first fetch starts from "now": emit after it.
    let cursor = (await connector.fetchSince(null)).cursor;
    sandbox.emit(network, 36, 'complaint');
    sandbox.setSwitches({ anonymousAuthor: true });
    sandbox.emit(network, 8, 'complaint');
    sandbox.setSwitches({ anonymousAuthor: false });
    const got: NormalizedMessage[] = [];
    for (let round = 0; round < 20 && got.length < expected; round++) {
      const batch = await connector.fetchSince(cursor);
      cursor = batch.cursor;
      got.push(...batch.messages);
      // The publisher's connectors have no keyword lists, so MAX's and Telegram's town-chat
      // mentions are not taken and fewer than emitted may come: an empty round after some ends it.
      if (batch.messages.length === 0 && got.length > 0) break;
    }
    return got;
  }

  beforeAll(async () => {
    store = await openTestStore('publisher');
    sandbox = await startSandbox({ port: 0 });
    const raw = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as { accounts: Array<{ apiBaseUrl?: string }> };
    for (const account of raw.accounts) account.apiBaseUrl = account.apiBaseUrl?.replace('http://127.0.0.1:8787', sandbox.url);
    await store.tenants.importFile(tenantFileSchema.parse(raw));
    const runtimes = new TenantRuntimeCache(store);
    runtime = await runtimes.get(TENANT);
    deps = { store, runtimes, connectors: new PublishingConnectors(store, store.publication.attemptLog, { ...process.env, OTKLIK_SANDBOX_URL: sandbox.url }, 5000) };
    for (const network of ['vk', 'telegram', 'ok', 'max'] as const) {
      inbox[network] = await fetchAll(network, 44);
      await store.messages.ingest(TENANT, inbox[network], ACCOUNTS[network]);
    }
  }, 180000);

  afterAll(async () => {
    await sandbox.stop();
    await dropTestStore(store);
  });

  /** A message of the kind wanted, not used by an earlier case; `reachable`: its author also wrote privately (the networks let us write back only then). */
  function pick(network: Network, want: { kind: 'comment' | 'private'; anonymous?: boolean; reachable?: boolean }): NormalizedMessage {
    const privateAuthors = new Set(inbox[network].filter((m) => m.kind === 'private').map((m) => m.author.id));
    const found = inbox[network].find((m) => !used.has(`${network}:${m.externalId}`) && m.kind === want.kind
      && m.author.anonymous === (want.anonymous ?? false)
      && (want.reachable === undefined || privateAuthors.has(m.author.id) === want.reachable));
    if (!found) throw new Error(`the sandbox gave no ${JSON.stringify(want)} ${network} message`);
    used.add(`${network}:${found.externalId}`);
    return found;
  }

  /** The incident of a stored message taken through triage, routing, the draft and the approval. */
  async function approved(network: Network, message: NormalizedMessage, text: string, approve = true): Promise<StoredIncident> {
    const [created] = await store.incidents.createMany(runtime, [{
      tenant: TENANT, messageId: messageKey(TENANT, network, message.externalId), network, authorId: message.author.id, postedAt: T0, detectedAt: T0, verdict: null,
      classify: { rejected: false, reason: null, reasonCode: null, topic: 'ЖКХ', location: null, importance: 'normal' },
    }], T0);
    const n = created!.incident.number;
    await store.incidents.apply(runtime, n, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, CURATOR, at(5));
    const assignee = (await store.incidents.get(TENANT, n))!.assignee!;
    const executor: Actor = { kind: 'staff', code: assignee, roles: ['executor'] };
    await store.incidents.apply(runtime, n, { type: 'take' }, executor, at(10));
    const submitted = await store.incidents.apply(runtime, n, { type: 'submit-draft', draft: { id: `answer-${n}`, kind: 'answer', text } }, executor, at(30));
    if (!approve) return submitted.incident;
    return (await store.incidents.apply(runtime, n, { type: 'approve' }, CURATOR, at(40))).incident;
  }

  async function claim(now: Date, owner = 'publisher-test'): Promise<ClaimedWork<PublishPayload>> {
    const [work] = await store.work.claim<PublishPayload>(PUBLISH, owner, now, LEASE_MS, 1);
    expect(work).toBeDefined();
    return work!;
  }

  /** One step, settled as the work processor settles it. */
  async function publishWorkItem(d: PublishDeps, held: ClaimedWork, now: Date): Promise<PublishStepReport> {
    const report = await publishStep(d, held, now);
    await settle({ store, log: quiet }, { kind: PUBLISH, maxAttempts: 12 }, [held], [report.settle], now);
    return report;
  }

  // Each case's text is its own, so the sandbox's posts of one case are told from another's.
  const answerText = (network: Network, tag: number) => `Здравствуйте! Горячую воду дадут 26 ноября 2026 года до 18:00 (${network}, ответ ${tag}).`;
  const postsWith = (text: string) => sandbox.recorded.filter((p) => p.text.includes(text));
  const attemptsOf = (i: StoredIncident) => (i.publication.attempts ?? []) as PublicationAttemptRecord[];
  const noticesOf = async (n: number) => rawDb(store).collection('notices').find({ tenant: TENANT, incidentNumber: n }).toArray();

  describe.each(['vk', 'telegram', 'ok', 'max'] as const)('%s', (network) => {
    it('publishes the answer in the same place, once, and tells the curator (004 [3.4], 001 [16])', async () => {
      sandbox.setSwitches({ commentsClosed: false, privateClosed: false });
      const message = pick(network, { kind: 'comment' });
      const text = answerText(network, 9);
      const before = await approved(network, message, text);
      const report = await publishWorkItem(deps, await claim(at(41)), at(41));
      expect(report).toMatchObject({ outcome: 'published', number: before.number, settle: expect.objectContaining({ kind: expect.any(String) }) });

      const after = (await store.incidents.get(TENANT, before.number))!;
      expect(after).toMatchObject({ state: 'published', publication: { outcome: 'public' } });
      expect(after.history.map((h) => h.to).slice(-2)).toEqual(['publishing', 'published']);
      expect(postsWith(text)).toHaveLength(1);
      expect(attemptsOf(after)).toEqual([expect.objectContaining({ draftId: `answer-${before.number}`, channel: 'public', idempotencyKey: `answer-${before.number}`, outcome: 'published', externalId: postsWith(text)[0]!.id, error: null })]);
      expect(attemptsOf(after)[0]!.finishedAt).toBeInstanceOf(Date);
      expect(await noticesOf(before.number)).toEqual(expect.arrayContaining([expect.objectContaining({ to: { role: 'curator' }, kind: 'published' })]));
      expect(await store.work.pending(PUBLISH)).toBe(0);
    });

    it('comments closed: sends the answer privately, saying the official accounts are open too (001 [20])', async () => {
      sandbox.setSwitches({ commentsClosed: true, privateClosed: false });
      const message = pick(network, { kind: 'comment', reachable: true });
      const incident = await approved(network, message, answerText(network, 0));
      const report = await publishWorkItem(deps, await claim(at(41)), at(41));
      expect(report.outcome).toBe('published-private');
      const after = (await store.incidents.get(TENANT, incident.number))!;
      expect(after).toMatchObject({ state: 'published-private', stateLabel: 'Отправлено личным сообщением', publication: { outcome: 'private' } });
      const sent = postsWith(answerText(network, 0)).filter((p) => p.text.includes('официальные аккаунты'));
      expect(sent).toHaveLength(1);
      expect(sent[0]!.text).toContain('«Администрация городского округа Зареченск»');
      const attempts = attemptsOf(after);
      expect(attempts.map((a) => [a.channel, a.outcome])).toEqual([['public', 'blocked'], ['private', 'published']]);
      // The API's refusal is kept with the attempt.
      expect(attempts[0]!.error).toMatchObject({ network, code: expect.any(Number), description: expect.any(String) });
      sandbox.setSwitches({ commentsClosed: false });
    });

    it('comments and private messages closed: «Готово» with the regulation\'s reason, nothing posted (001 [20])', async () => {
      sandbox.setSwitches({ commentsClosed: true, privateClosed: true });
      const message = pick(network, { kind: 'comment', reachable: true });
      const incident = await approved(network, message, answerText(network, 1));
      const report = await publishWorkItem(deps, await claim(at(41)), at(41));
      expect(report.outcome).toBe('no-channel');
      const after = (await store.incidents.get(TENANT, incident.number))!;
      expect(after).toMatchObject({ state: 'closed-no-channel', stateLabel: 'Готово', publication: { outcome: 'no-channel', outcomeLabel: NO_CHANNEL_REASON } });
      expect(after.history.at(-1)!.why).toContain(NO_CHANNEL_REASON);
      expect(postsWith(answerText(network, 1))).toHaveLength(0);
      expect(attemptsOf(after).map((a) => [a.channel, a.outcome])).toEqual([['public', 'blocked'], ['private', 'blocked']]);
      expect(await noticesOf(incident.number)).toEqual(expect.arrayContaining([expect.objectContaining({ to: { role: 'curator' }, kind: 'no-channel' })]));
      sandbox.setSwitches({ commentsClosed: false, privateClosed: false });
    });

    it('a retried item after a crash mid-publish (lease expired) does not post twice', async () => {
      sandbox.setSwitches({ commentsClosed: false, privateClosed: false });
      const message = pick(network, { kind: 'comment' });
      const incident = await approved(network, message, answerText(network, 2));
      // The first publisher claims, starts, posts through the same connector — and dies
      // before it records the result or completes the item.
      const first = await claim(at(41), 'publisher-a');
      await store.incidents.apply(runtime, incident.number, { type: 'publish-started' }, { kind: 'system', name: 'publisher' }, at(41));
      const connector = (await deps.connectors.connectorFor(TENANT, network, ACCOUNTS[network]))!;
      expect((await connector.reply({ answerId: `answer-${incident.number}` }, message, answerText(network, 2))).status).toBe('published');
      expect(postsWith(answerText(network, 2))).toHaveLength(1);
      // Nobody can take it while the lease holds.
      expect(await store.work.claim(PUBLISH, 'publisher-b', at(41.5), LEASE_MS, 1)).toEqual([]);

      const second = await claim(at(43), 'publisher-b');
      expect(second.item.id).toBe(first.item.id);
      const report = await publishWorkItem(deps, second, at(43));
      expect(report).toMatchObject({ outcome: 'published', settle: expect.objectContaining({ kind: expect.any(String) }) });
      expect(postsWith(answerText(network, 2))).toHaveLength(1);
      expect((await store.incidents.get(TENANT, incident.number))!.state).toBe('published');
      // The dead holder's token no longer completes anything.
      expect(await store.work.complete(PUBLISH, [first])).toBe(0);
    });
  });

  it('vk: an anonymous author whose comment cannot be answered in place is closed «Готово» (001 [20])', async () => {
    sandbox.setSwitches({ commentsClosed: true });
    const message = pick('vk', { kind: 'comment', anonymous: true });
    const incident = await approved('vk', message, answerText('vk', 3));
    const report = await publishWorkItem(deps, await claim(at(41)), at(41));
    expect(report).toMatchObject({ outcome: 'no-channel', detail: 'автор анонимен' });
    const after = (await store.incidents.get(TENANT, incident.number))!;
    expect(after).toMatchObject({ state: 'closed-no-channel', publication: { outcomeLabel: NO_CHANNEL_REASON } });
    // No private message was even tried: an anonymous author cannot be written to.
    expect(attemptsOf(after).map((a) => a.channel)).toEqual(['public']);
    sandbox.setSwitches({ commentsClosed: false });
  });

  it('telegram: an attempt begun but never finished is handed to a person and not sent again', async () => {
    const message = pick('telegram', { kind: 'comment' });
    const incident = await approved('telegram', message, answerText('telegram', 4));
    await claim(at(41), 'publisher-a');
    await store.incidents.apply(runtime, incident.number, { type: 'publish-started' }, { kind: 'system', name: 'publisher' }, at(41));
    // The dead publisher had recorded the attempt and was inside sendMessage when killed.
    await store.publication.attemptLog.begin({ answerId: `answer-${incident.number}`, network: 'telegram', target: `chat:${message.place.containerId}:reply:${message.place.itemId}`, startedAt: at(41) });
    const report = await publishWorkItem(deps, await claim(at(43), 'publisher-b'), at(43));
    expect(report.outcome).toBe('uncertain');
    expect(postsWith(answerText('telegram', 4))).toHaveLength(0);
    const after = (await store.incidents.get(TENANT, incident.number))!;
    expect(after.state).toBe('publishing');
    expect((after.publication as { manualCheck?: unknown }).manualCheck).toMatchObject({ reason: expect.any(String) });
    const notices = await noticesOf(incident.number);
    expect(notices.filter((n) => n.kind === 'publish-uncertain')).toEqual([expect.objectContaining({ to: { role: 'curator' } })]);
    expect(await store.work.pending(PUBLISH)).toBe(0);
  });

  it('vk: a private message is answered in the same conversation, as the published answer (004 [3.4])', async () => {
    const message = pick('vk', { kind: 'private' });
    const incident = await approved('vk', message, answerText('vk', 5));
    expect((await publishWorkItem(deps, await claim(at(41)), at(41))).outcome).toBe('published');
    const after = (await store.incidents.get(TENANT, incident.number))!;
    expect(after).toMatchObject({ state: 'published', publication: { outcome: 'public' } });
    expect(attemptsOf(after).map((a) => a.channel)).toEqual(['private']);
    expect(postsWith(answerText('vk', 5))).toEqual([expect.objectContaining({ target: `user:${message.place.containerId}` })]);
  });

  it('vk: flood control (error 6) puts the item back for the wait the network asks, without spending an attempt', async () => {
    const message = pick('vk', { kind: 'comment' });
    const incident = await approved('vk', message, answerText('vk', 6));
    sandbox.setSwitches({ floodEvery: 1 });
    const work = await claim(at(41));
    const report = await publishWorkItem(deps, work, at(41));
    expect(report).toMatchObject({ outcome: 'rate-limited', settle: { kind: 'postpone' } });
    const item = await rawDb(store).collection('work.publish').findOne({ _id: work.item.id as never });
    expect(item).toMatchObject({ attempts: 0, lease: null, lastError: expect.stringMatching(/Too many requests/) });
    // VK's flood error means "wait a second" (connectors/vk/errors.ts): not before.
    expect((item!.availableAt as Date).getTime()).toBe(at(41).getTime() + 1000);
    expect(await store.work.claim(PUBLISH, 'publisher-test', new Date(at(41).getTime() + 999), LEASE_MS, 1)).toEqual([]);
    expect((await store.incidents.get(TENANT, incident.number))!.state).toBe('publishing');
    expect(postsWith(answerText('vk', 6))).toHaveLength(0);

    sandbox.setSwitches({ floodEvery: 0 });
    const again = await claim(new Date(at(41).getTime() + 1000));
    expect(again.item.attempts).toBe(0);
    expect((await publishWorkItem(deps, again, new Date(at(41).getTime() + 1000))).outcome).toBe('published');
    expect(postsWith(answerText('vk', 6))).toHaveLength(1);
    const attempts = attemptsOf((await store.incidents.get(TENANT, incident.number))!);
    expect(attempts.map((a) => a.outcome)).toEqual(['retryable', 'published']);
    expect(attempts[0]!.error).toMatchObject({ waitMs: 1000 });
  }, 60000);

  it('a public-interest answer reminds the curator to post it on the official pages (004 [3.5]); the item of an answer already out does nothing', async () => {
    const message = pick('ok', { kind: 'comment' });
    const incident = await approved('ok', message, answerText('ok', 7));
    expect(await store.publication.flagPublicInterest(TENANT, incident.number, true)).toBe(true);
    expect((await publishWorkItem(deps, await claim(at(41)), at(41))).outcome).toBe('published');
    const official = (await noticesOf(incident.number)).filter((n) => n.kind === 'official-post');
    expect(official).toEqual([expect.objectContaining({ to: { role: 'curator' }, text: expect.stringContaining('004 [3.5]') })]);

    // The same intent queued again (the watcher after a crash): nothing is posted twice.
    expect(await store.publication.enqueue([{ tenant: TENANT, number: incident.number, draftId: `answer-${incident.number}` }], at(42))).toBe(1);
    expect((await publishWorkItem(deps, await claim(at(42)), at(42))).outcome).toBe('stale');
    expect(postsWith(answerText('ok', 7))).toHaveLength(1);
  });

  it('an item claimed before its approval is written looks again shortly instead of dropping the answer', async () => {
    const message = pick('vk', { kind: 'comment' });
    const inReview = await approved('vk', message, answerText('vk', 8), false);
    expect(inReview.state).toBe('review');
    // What runCommand does first on approval: the intent is queued, the write follows.
    await store.publication.enqueue([{ tenant: TENANT, number: inReview.number, draftId: `answer-${inReview.number}` }], at(40));
    const early = await claim(at(40));
    expect(await publishWorkItem(deps, early, at(40))).toMatchObject({ outcome: 'retry', settle: { kind: 'retry' } });
    await store.incidents.apply(runtime, inReview.number, { type: 'approve' }, CURATOR, at(40));
    expect(await store.work.claim(PUBLISH, 'publisher-test', at(40), LEASE_MS, 1)).toEqual([]);
    expect((await publishWorkItem(deps, await claim(new Date(at(40).getTime() + 5000)), at(41))).outcome).toBe('published');
    expect(postsWith(answerText('vk', 8))).toHaveLength(1);
  });

  it('the publisher worker process publishes an approved answer and stops cleanly on SIGTERM', async () => {
    const message = pick('telegram', { kind: 'comment' });
    const incident = await approved('telegram', message, answerText('telegram', 10));
    const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/launch.js', 'publisher'], {
      env: { ...process.env, MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: store.dbName, OTKLIK_SANDBOX_URL: sandbox.url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    try {
      const deadline = Date.now() + 30000;
      while ((await store.incidents.get(TENANT, incident.number))!.state !== 'published') {
        if (Date.now() > deadline) throw new Error('the publisher worker did not publish within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    } finally {
      worker.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(postsWith(answerText('telegram', 10))).toHaveLength(1);
    expect(await store.work.pending(PUBLISH)).toBe(0);
  }, 60000);

  it.each(['telegram', 'vk'] as const)('%s: a photo attached to the draft goes out as a photo, never as a line of text (000 [16], 003 [8])', async (network) => {
    sandbox.setSwitches({ commentsClosed: false, privateClosed: false });
    const message = pick(network, { kind: 'comment' });
    const text = answerText(network, 11);
    const inReview = await approved(network, message, text, false);
    // What the staff bot or the workplace keeps when an executor attaches a photo.
    const ref = await store.attachments.save(TENANT, { kind: 'photo', fileName: 'repaired-pipe.jpg', contentType: 'image/jpeg', data: Buffer.from('\xff\xd8\xff\xe0 a JPEG of the repaired pipe') }, at(31));
    const draft = inReview.drafts.at(-1)!;
    await store.incidents.apply(runtime, inReview.number, { type: 'return-for-rework', comment: 'Приложите фото' }, CURATOR, at(32));
    const executor: Actor = { kind: 'staff', code: inReview.assignee!, roles: ['executor'] };
    await store.incidents.apply(runtime, inReview.number, { type: 'submit-draft', draft: { id: `${draft.id}-photo`, kind: 'answer', text, attachments: [{ type: 'photo', url: ref }] } }, executor, at(33));
    await store.incidents.apply(runtime, inReview.number, { type: 'approve' }, { kind: 'staff', code: 'smirnov', roles: ['curator'] }, at(34));
    expect((await publishWorkItem(deps, await claim(at(41)), at(41))).outcome).toBe('published');
    const posts = postsWith(text);
    expect(posts.map((p) => p.text).join('\n')).not.toMatch(/attachment:|telegram-file:/);
    // VK takes a photo in a wall comment only with an admin's user token: without one it goes as a document, which VK shows as a picture.
    expect(posts.flatMap((p) => p.attachments ?? [])).toEqual([expect.objectContaining({ kind: network === 'vk' ? 'document' : 'photo', fileName: 'repaired-pipe.jpg', contentType: 'image/jpeg' })]);
  });

  it('the private fallback text names the official accounts in Russian', () => {
    expect(privateFallbackText('Ответ.', { title: 'Администрация города', networks: ['vk', 'ok', 'telegram'] })).toBe(
      'Ответ.\n\nОтвет направлен вам личным сообщением, так как опубликовать его под вашим сообщением не удалось. '
      + 'Вы также можете обратиться к нам через официальные аккаунты «Администрация города» во ВКонтакте, в Одноклассниках и в Telegram.',
    );
  });
});
