import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { NormalizedMessage } from '../../connectors/types.js';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { Store } from '../../store/connection.js';
import { findIncident } from '../../store/incidents.js';
import { CLASSIFY_WORK, ingestMessages } from '../../store/messages.js';
import { importTenantFile } from '../../store/tenant-config.js';
import { TenantRuntimeCache } from '../../store/tenant-runtime.js';
import { claimWork, completeWork, enqueueWork } from '../../store/work-queue.js';
import { ClassificationCache, classifyWorkItem, MESSAGE_GRACE_MS } from '../../workers/classification.js';
import { dropTestStore, openTestStore } from '../support/store.js';

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
    await importTenantFile(store, tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
    runtimes = new TenantRuntimeCache(store);
    classifications = new ClassificationCache(store);
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  async function drain(): Promise<string[]> {
    const outcomes: string[] = [];
    for (;;) {
      // Ingest queues work at the real time; the step itself runs at the test's `now`.
      const work = await claimWork(store, [CLASSIFY_WORK], 'test', new Date(Date.now() + 1000), 60000);
      if (!work) return outcomes;
      outcomes.push((await classifyWorkItem(store, runtimes, classifications, work, now)).outcome);
      await completeWork(store, work);
    }
  }

  it('turns messages into incidents for the curator or rejections with reason and evidence', async () => {
    await ingestMessages(store, 'zarechensk', [
      message('1', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivanov'),
      message('2', 'Глава города, ты урод и вор, чтоб тебя...'),
      message('3', 'Заработок от 5000 в день без вложений! Пиши в личку, ссылка в профиле, скидки только сегодня!!!'),
    ], 'vk-main');
    // Detected on Tuesday 10:00:10 Moscow time, inside the example's office hours.
    await store.connection.db!.collection('messages').updateMany({}, { $set: { fetchedAt: new Date('2026-11-24T07:00:10Z') } });
    expect(await drain()).toEqual(['incident', 'rejected', 'rejected']);

    const first = await findIncident(store, 'zarechensk', 1);
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

    const insult = await findIncident(store, 'zarechensk', 2);
    expect(insult).toMatchObject({ state: 'rejected', stateLabel: 'Отклонено' });
    expect(insult!.verdict).toMatchObject({ rejected: true, reasonCode: 'insult', reason: expect.stringMatching(/оскорб/i) });
    expect((insult!.verdict as { evidence: string[] }).evidence.length).toBeGreaterThan(0);
    const ad = await findIncident(store, 'zarechensk', 3);
    expect(ad!.verdict).toMatchObject({ rejected: true, reasonCode: 'advertising' });

    const notices = await store.connection.db!.collection('notices').find({ incidentNumber: 1 }).toArray();
    expect(notices).toEqual(expect.arrayContaining([expect.objectContaining({ to: { role: 'curator' }, kind: 'new-incident' })]));
  });

  it('links a repeated message of the same problem to the earlier incident', async () => {
    await ingestMessages(store, 'zarechensk', [message('4', 'Опять нет горячей воды на улице Ленина, дом 5, уже неделю! Когда починят?', 'petrov')], 'vk-main');
    expect(await drain()).toEqual(['incident']);
    const repeat = await findIncident(store, 'zarechensk', 4);
    expect(repeat).toMatchObject({ state: 'triage', repeatOf: 1 });
    expect(repeat!.history[0]?.why).toContain('№ 1');
  });

  it('waits for a message queued but not stored yet, and drops the work only when it never comes', async () => {
    await enqueueWork(store, [{ kind: CLASSIFY_WORK, tenant: 'zarechensk', ref: 'vk:wall-218475963_1377_late' }], now);
    const work = await claimWork(store, [CLASSIFY_WORK], 'test', new Date(Date.now() + 1000), 60000);
    expect(work?.item.ref).toBe('vk:wall-218475963_1377_late');
    expect((await classifyWorkItem(store, runtimes, classifications, work!, new Date(now.getTime() + 1000))).outcome).toBe('message-not-yet-stored');
    expect((await classifyWorkItem(store, runtimes, classifications, work!, new Date(now.getTime() + MESSAGE_GRACE_MS + 1))).outcome).toBe('message-missing');
    await completeWork(store, work!);
  });

  it('does nothing twice: a re-fetched message and a retried item find the work done', async () => {
    await ingestMessages(store, 'zarechensk', [message('1', 'тот же комментарий, полученный снова')], 'vk-main');
    expect(await drain()).toEqual(['already-classified']);
    expect(await store.connection.db!.collection('incidents').countDocuments({ tenant: 'zarechensk' })).toBe(4);
  });
});
