import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { NormalizedMessage } from '../../connectors/types.js';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { ClassifyPayload } from '../../store/messages.js';
import type { Store } from '../../store/port.js';
import { TenantRuntimeCache } from '../../store/tenant-runtime.js';
import { ClassificationCache, classifyBatch, MESSAGE_GRACE_MS, messageWaitMs } from '../../workers/classification.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

function message(id: string, text: string, author = `author-${id}`): NormalizedMessage {
  return {
    network: 'vk', externalId: `wall-218475963_1377_${id}`, kind: 'comment',
    place: { containerId: '-218475963', postId: '1377', itemId: id },
    author: { id: author, name: 'Житель', anonymous: false }, text, attachments: [],
    // Tuesday 2026-11-24 10:00 Moscow: office hours of the example tenant.
    createdAt: new Date('2026-11-24T07:00:00Z'), matchedKeywords: [], raw: { id },
  };
}

describe('classifier worker step (embedded store)', () => {
  let store: Store;
  let runtimes: TenantRuntimeCache;
  let classifications: ClassificationCache;
  const now = new Date('2026-11-24T07:00:30Z');

  beforeAll(async () => {
    store = await openTestStore('classify');
    await store.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
    runtimes = new TenantRuntimeCache(store);
    classifications = new ClassificationCache(store);
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  /** Claims and classifies every queued batch, as the worker does; the outcome of each message in order. */
  async function drain(at = now): Promise<string[]> {
    const outcomes: string[] = [];
    for (;;) {
      // Ingest queues work at the real time; the step itself runs at the test's `now`.
      const items = await store.work.claim<ClassifyPayload>('classify', 'test', new Date(Date.now() + 1000), 60000, 10);
      if (items.length === 0) return outcomes;
      const report = await classifyBatch(store, runtimes, classifications, items, at);
      outcomes.push(...report.results.map((r) => r.outcome));
      await store.work.complete('classify', items.filter((_, i) => report.outcomes[i]!.kind === 'done'));
    }
  }

  it('turns messages into incidents for the curator or rejections with reason and evidence, numbered in order', async () => {
    await store.messages.ingest('zarechensk', [
      message('1', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivanov'),
      message('2', 'Глава города, ты урод и вор, чтоб тебя...'),
      message('3', 'Заработок от 5000 в день без вложений! Пиши в личку, ссылка в профиле, скидки только сегодня!!!'),
    ], 'vk-main');
    // Detected on Tuesday 10:00:10 Moscow time, inside the example's office hours.
    await rawDb(store).collection('messages').updateMany({}, { $set: { fetchedAt: new Date('2026-11-24T07:00:10Z') } });
    expect(await drain()).toEqual(['incident', 'rejected', 'rejected']);

    const first = await store.incidents.get('zarechensk', 1);
    expect(first).toMatchObject({ state: 'triage', stateLabel: 'На распределении', network: 'vk', authorId: 'ivanov', topic: 'ЖКХ' });
    expect((first!.verdict as { topic: { value: string } }).topic.value).toBe('ЖКХ');
    expect(first!.location).toMatch(/Ленина/);
    // krymsk: the curator routes within 30 minutes of detection (000 [9]) — in working time.
    expect(first!.deadlines.find((d) => d.step === 'triage')?.dueAt).toEqual(new Date('2026-11-24T07:30:10Z'));
    // No hot water is suggested as high importance, so until the curator decides the answer
    // is due in 4 working hours (000 [9], [14]): 10:00:10 + 2:30 to lunch + 1:30 after it.
    expect(first!.importance).toBe('high');
    expect(first!.deadlines.find((d) => d.step === 'answer')?.dueAt).toEqual(new Date('2026-11-24T12:00:10Z'));
    expect(first!.history).toEqual([expect.objectContaining({ who: 'system:classifier', from: 'new', to: 'triage' })]);

    const insult = await store.incidents.get('zarechensk', 2);
    expect(insult).toMatchObject({ state: 'rejected', stateLabel: 'Отклонено' });
    expect(insult!.verdict).toMatchObject({ rejected: true, reasonCode: 'insult', reason: expect.stringMatching(/оскорб/i) });
    expect((insult!.verdict as { evidence: string[] }).evidence.length).toBeGreaterThan(0);
    const ad = await store.incidents.get('zarechensk', 3);
    expect(ad!.verdict).toMatchObject({ rejected: true, reasonCode: 'advertising' });
    // Rejections leave the open set at once: the hot collection holds what is still to do.
    expect((await store.incidents.open({ tenant: 'zarechensk' })).map((i) => i.number)).toEqual([1]);
    expect((await store.incidents.recentArchived('zarechensk', 10)).map((i) => i.number)).toEqual([3, 2]);

    // The curator's «new incident» notice is queued for the staff bot, carrying its text (its record is written on delivery).
    const queued = (await rawDb(store).collection('work.notice').find({}).toArray()).map((i) => (i.payload as { content: { incidentNumber: number; to: unknown; kind: string } }).content);
    expect(queued).toEqual(expect.arrayContaining([expect.objectContaining({ incidentNumber: 1, to: { role: 'curator' }, kind: 'new-incident' })]));
    expect(queued.filter((n) => n.incidentNumber === 2 || n.incidentNumber === 3)).toEqual([]);
  });

  it('links a repeated message of the same problem to the earlier incident', async () => {
    await store.messages.ingest('zarechensk', [message('4', 'Опять нет горячей воды на улице Ленина, дом 5, уже неделю! Когда починят?', 'petrov')], 'vk-main');
    expect(await drain()).toEqual(['incident']);
    const repeat = await store.incidents.get('zarechensk', 4);
    expect(repeat).toMatchObject({ state: 'triage', repeatOf: 1 });
    expect(repeat!.history[0]?.why).toContain('№ 1');
  });

  it('links repeats within one batch, and another classifier process sees the incidents this one filed', async () => {
    await store.messages.ingest('zarechensk', [
      message('5', 'Во дворе на Садовой улице, дом 12, третью неделю не вывозят мусор, контейнеры переполнены', 'sidorov'),
      message('6', 'На Садовой улице у дома 12 не вывозят мусор уже третью неделю, контейнеры переполнены!', 'kozlov'),
    ], 'vk-main');
    expect(await drain()).toEqual(['incident', 'incident']);
    expect(await store.incidents.get('zarechensk', 6)).toMatchObject({ repeatOf: 5 });
    // A second process builds its index from the store's repeat log.
    const other = new ClassificationCache(store);
    const { classifier, repeats } = await other.get('zarechensk', now.getTime());
    await repeats.loaded();
    const ready = classifier.prepare({ text: 'Садовая улица, дом 12: не вывозят мусор третью неделю, контейнеры переполнены', author: 'someone-else', at: now.getTime() });
    expect(classifier.complete(ready, repeats.index.candidates(ready.repeatKeys)).repeatOf?.incidentId).toMatch(/^[56]$/);
  });

  it('a curator\'s unlink of a wrong repeat teaches the classifier: a near copy is not linked to that incident again', async () => {
    const runtime = await store.tenants.runtime('zarechensk');
    await store.messages.ingest('zarechensk', [message('u1', 'Во дворе дома 3 на улице Мира сломана детская горка, дети могут пораниться', 'mama1')], 'vk-main');
    await drain();
    await store.messages.ingest('zarechensk', [message('u2', 'Во дворе дома 3 на улице Мира сломана горка на детской площадке, опасно для детей', 'papa2')], 'vk-main');
    await drain();
    const [first, second] = [...(await store.incidents.byMessages(['zarechensk:vk:wall-218475963_1377_u1', 'zarechensk:vk:wall-218475963_1377_u2'])).values()].sort((a, b) => a.number - b.number);
    expect(second!.repeatOf).toBe(first!.number);
    await store.incidents.apply(runtime, second!.number, { type: 'unlink-repeat', comment: 'Это другая площадка, во дворе соседнего дома' }, { kind: 'staff', code: 'petrova', roles: ['curator'] }, now);
    expect(await store.classifier.corrections('zarechensk')).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'unlink-repeat', value: String(first!.number), by: 'petrova' })]));
    // A fresh classifier process (its model and corrections loaded anew) leaves the same pair unlinked.
    const again = new ClassificationCache(store);
    await store.messages.ingest('zarechensk', [message('u3', 'Во дворе дома 3 на улице Мира сломана горка на детской площадке, опасно для детей!', 'papa3')], 'vk-main');
    const items = await store.work.claim<ClassifyPayload>('classify', 'test', new Date(Date.now() + 1000), 60000, 10);
    const report = await classifyBatch(store, runtimes, again, items, now);
    await store.work.complete('classify', items);
    expect(report.results[0]!.incident.repeatOf).not.toBe(first!.number);
  });

  it('waits for messages queued but not stored yet, and drops them only when they never come', async () => {
    await store.work.enqueue<ClassifyPayload>('classify', [{ tenant: 'zarechensk', ref: 'late', payload: { messages: ['zarechensk:vk:wall-218475963_1377_late'] } }], new Date());
    const items = await store.work.claim<ClassifyPayload>('classify', 'test', new Date(Date.now() + 1000), 60000, 10);
    expect(items.map((i) => i.item.ref)).toEqual(['late']);
    const lookedAt = new Date(items[0]!.item.enqueuedAt.getTime() + 10);
    const soon = await classifyBatch(store, runtimes, classifications, items, lookedAt);
    // Looked for again soon (the insert is usually milliseconds behind), then less and less often.
    expect(soon.outcomes[0]).toEqual({ kind: 'postpone', at: new Date(lookedAt.getTime() + 20), note: '1 message(s) not stored yet', payload: { messages: ['zarechensk:vk:wall-218475963_1377_late'] } });
    expect([10, 400, 60_000].map(messageWaitMs)).toEqual([20, 200, 5_000]);
    const never = await classifyBatch(store, runtimes, classifications, items, new Date(Date.now() + MESSAGE_GRACE_MS + 1000));
    expect(never.outcomes[0]).toEqual({ kind: 'done' });
    await store.work.complete('classify', items);
  });

  it('the author\'s reply to a clarification request returns the incident to the executor instead of making a new one (001 [17])', async () => {
    const runtime = await store.tenants.runtime('zarechensk');
    await store.messages.ingest('zarechensk', [message('7', 'Третий день не горит фонарь у подъезда, очень темно', 'fonar')], 'vk-main');
    const [made] = await drain();
    expect(made).toBe('incident');
    const number = (await store.incidents.open({ tenant: 'zarechensk' })).find((i) => i.authorId === 'fonar')!.number;
    const curator = { kind: 'staff', code: 'petrova', roles: ['curator'] } as const;
    const publisher = { kind: 'system', name: 'publisher' } as const;
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    await store.incidents.apply(runtime, number, { type: 'confirm-and-route', topic: 'благоустройство', location: null, importance: 'normal', departments: ['blago'] }, curator, at(5));
    const executor = { kind: 'staff', code: (await store.incidents.get('zarechensk', number))!.assignee!, roles: ['executor'] } as const;
    await store.incidents.apply(runtime, number, { type: 'take' }, executor, at(6));
    await store.incidents.apply(runtime, number, { type: 'submit-draft', draft: { id: `q${number}`, kind: 'clarification', text: 'Здравствуйте! Уточните, пожалуйста, номер дома и подъезда.' } }, executor, at(20));
    await store.incidents.apply(runtime, number, { type: 'approve' }, curator, at(25));
    await store.incidents.apply(runtime, number, { type: 'publish-started' }, publisher, at(26));
    await store.incidents.apply(runtime, number, { type: 'published' }, publisher, at(26));
    expect(await store.incidents.get('zarechensk', number)).toMatchObject({ state: 'awaiting-author' });
    // The author answers in the same thread, an hour later.
    await store.messages.ingest('zarechensk', [{ ...message('8', 'Дом 14, второй подъезд', 'fonar'), createdAt: at(60) }], 'vk-main');
    expect(await drain(at(61))).toEqual(['clarification-reply']);
    const back = (await store.incidents.get('zarechensk', number))!;
    expect(back.state).toBe('draft');
    expect(back.history.at(-1)).toMatchObject({ from: 'awaiting-author', to: 'draft', why: expect.stringContaining('Автор ответил на запрос уточнения') });
    // The answer counts again from the reply, and the executor hears of it.
    expect(back.deadlines.find((d) => d.step === 'answer' && d.metAt === null)!.dueAt.getTime()).toBeGreaterThan(at(61).getTime());
    const told = await rawDb(store).collection('notices').find({ incidentNumber: number, kind: 'author-replied' }).toArray();
    expect(told).toEqual([expect.objectContaining({ to: { staff: executor.code } })]);
    // No incident of its own, and a second look at the same message does nothing.
    expect(await store.incidents.byMessages(['zarechensk:vk:wall-218475963_1377_8'])).toEqual(new Map());
    await store.messages.ingest('zarechensk', [{ ...message('8', 'Дом 14, второй подъезд', 'fonar'), createdAt: at(60) }], 'vk-main');
    expect(await drain(at(62))).toEqual([]);
  });

  it('a burst of new incidents reaches the curator as one message listing them, not a card each', async () => {
    const before = new Set((await rawDb(store).collection('work.notice').find({}).toArray()).map((i) => String(i._id)));
    const burst = ['Во дворе дома 3 по Садовой не вывозят мусор', 'На остановке у рынка нет навеса', 'Яма на въезде в посёлок Лесной',
      'Не горит фонарь у школы № 2', 'В сквере сломана скамейка', 'Собаки без хозяина у детского сада'];
    await store.messages.ingest('zarechensk', burst.map((text, i) => message(`burst-${i}`, text)), 'vk-main');
    const report = await drain();
    expect(report).toEqual(burst.map(() => 'incident'));
    const queued = (await rawDb(store).collection('work.notice').find({}).toArray())
      .filter((i) => !before.has(String(i._id)))
      .map((i) => (i.payload as { content: { incidentNumber: number | null; kind: string; text: string } }).content);
    expect(queued.filter((n) => n.kind === 'new-incident')).toEqual([]);
    const digest = queued.filter((n) => n.kind === 'new-incidents');
    expect(digest).toHaveLength(1);
    expect(digest[0]!.incidentNumber).toBeNull();
    expect(digest[0]!.text).toMatch(/^Новые обращения: 6 \(№ \d+–\d+\)\./);
  });

  it('does nothing twice: a re-fetched message and a retried item find the work done', async () => {
    await store.messages.ingest('zarechensk', [message('1', 'тот же комментарий, полученный снова')], 'vk-main');
    expect(await drain()).toEqual(['already-classified']);
    expect((await store.incidents.open({ tenant: 'zarechensk' })).length + (await store.incidents.recentArchived('zarechensk', 100)).length).toBe(16);
  });
});
