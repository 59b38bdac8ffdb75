import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import { messageKey } from '../../store/ids.js';
import type { Store, StoredIncident, TenantRuntime } from '../../store/port.js';
import { TenantRuntimeCache } from '../../store/tenant-runtime.js';
import type { Actor } from '../../workflow/incident-machine.js';
import { DUE_SOON_WINDOW_MS, HEAD_AFTER_OVERDUE_MS, newWatchProgress, STEP_LABELS, termKey, watchDeadlines } from '../../workers/deadline-watch.js';
import { warnOfCalendar } from '../../workers/watcher.js';
import { createLogger } from '../../config/logger.js';
import { dropTestStore, openTestStore, rawDb, testStoreUri } from '../support/store.js';

const CURATOR: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };
// Tuesday 2026-11-24 10:00 Moscow: office hours of the example tenant.
const T0 = new Date('2026-11-24T07:00:00Z');
const MINUTE_MS = 60 * 1000;
const at = (minutes: number, from: Date = T0) => new Date(from.getTime() + minutes * MINUTE_MS);

describe('deadline watcher step (embedded store)', () => {
  let store: Store;
  let messageSeq = 0;

  beforeAll(async () => {
    store = await openTestStore('watcher');
    const example = parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')) as Record<string, unknown>;
    await store.tenants.importFile(tenantFileSchema.parse(example));
    // A second tenant under 001 (Вятские Поляны), whose profile sets the conditional
    // "return as not ours" term (001 [11]).
    const { officeHours: _hours, ...rest } = example;
    await store.tenants.importFile(tenantFileSchema.parse({ ...rest, name: 'vpoly', title: 'Администрация города Вятские Поляны', timeZone: 'Europe/Kirov', regulationProfile: { id: 'vyatskiye-polyany', overrides: {} } }));
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  /** A fresh watcher instance: its own runtime cache, as another process would have. */
  const watcher = () => new TenantRuntimeCache(store);

  async function newIncident(tenant: string, detectedAt: Date): Promise<{ incident: StoredIncident; runtime: TenantRuntime }> {
    messageSeq += 1;
    const id = String(messageSeq);
    await store.messages.ingest(tenant, [{
      network: 'vk', externalId: `wall-1_1_${id}`, kind: 'comment', place: { containerId: '-1', postId: '1', itemId: id },
      author: { id: `author-${id}`, name: 'Житель', anonymous: false }, text: 'Нет горячей воды на ул. Ленина, 5', attachments: [],
      createdAt: detectedAt, matchedKeywords: [], raw: { id },
    }], 'vk-main');
    const runtime = await new TenantRuntimeCache(store).get(tenant);
    const [created] = await store.incidents.createMany(runtime, [{
      tenant, messageId: messageKey(tenant, 'vk', `wall-1_1_${id}`), network: 'vk', authorId: `author-${id}`, postedAt: detectedAt, detectedAt, verdict: null,
      classify: { rejected: false, reason: null, reasonCode: null, topic: 'ЖКХ', location: null, importance: 'normal' },
    }], detectedAt);
    return { incident: created!.incident, runtime };
  }

  // In escalation order, and within one threshold curator before person: never by equal
  // timestamps alone (two notices of one tick share their createdAt).
  const THRESHOLD_ORDER = ['deadline-due-soon', 'deadline-overdue', 'deadline-overdue-head'];
  const recipientOrder = (to: unknown) => ('role' in (to as object) ? 0 : 1);
  const deadlineNotices = async (tenant: string, number: number) =>
    (await rawDb(store).collection('notices').find({ tenant, incidentNumber: number, kind: { $regex: '^deadline-' } }).toArray())
      .map((n) => ({ kind: n.kind as string, to: n.to as unknown, text: n.text as string, createdAt: n.createdAt as Date }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || THRESHOLD_ORDER.indexOf(a.kind) - THRESHOLD_ORDER.indexOf(b.kind) || recipientOrder(a.to) - recipientOrder(b.to) || a.text.localeCompare(b.text))
      .map(({ createdAt: _createdAt, ...n }) => n);
  const violationsOf = async (tenant: string, number: number) => rawDb(store).collection('violations').find({ tenant, incidentNumber: number }).toArray();
  const termOf = async (tenant: string, number: number, step: string) => (await store.incidents.get(tenant, number))!.deadlines.find((d) => d.step === step && d.metAt === null)!;
  /** The escalation thresholds marked for a term, in order. */
  const marksOf = async (incident: StoredIncident, term: { step: string; dueAt: Date }) => {
    const all = ['due-soon', 'overdue', 'overdue-head'];
    const key = termKey(incident, term as Parameters<typeof termKey>[1]);
    const found = await rawDb(store).collection('termMarks').find({ _id: { $in: all.map((t) => `${key}:${t}`) } as never }).toArray();
    return all.filter((t) => found.some((f) => String(f._id) === `${key}:${t}`));
  };

  it('escalates the curator\'s triage term once per threshold — due soon, overdue, the head — even with two watchers', async () => {
    const { incident } = await newIncident('zarechensk', T0);
    const triage = await termOf('zarechensk', incident.number, 'triage');
    // 000 [9]: 30 minutes from detection.
    expect(triage.dueAt).toEqual(at(30));

    await watchDeadlines(store, watcher(), at(30 - DUE_SOON_WINDOW_MS / MINUTE_MS - 1));
    expect(await deadlineNotices('zarechensk', incident.number)).toEqual([]);

    const first = await watchDeadlines(store, watcher(), at(11));
    expect(first.escalated).toBe(1);
    // Nobody by name answers for triage: the curators hear it first.
    expect(await deadlineNotices('zarechensk', incident.number)).toEqual([
      { kind: 'deadline-due-soon', to: { role: 'curator' }, text: expect.stringMatching(/^Обращение № \d+: срок «распределение обращения» истекает 24\.11\.2026, 10:30 \(000 \[9\]\)\.$/) },
    ]);
    expect(await store.incidents.get('zarechensk', incident.number)).toMatchObject({ dueStatus: 'due-soon', dueStatusLabel: 'Срок истекает' });
    expect(await marksOf(incident, triage)).toEqual(['due-soon']);

    // The same threshold seen again, by this watcher or another: nothing new.
    await watchDeadlines(store, watcher(), at(12));
    expect(await deadlineNotices('zarechensk', incident.number)).toHaveLength(1);

    // Two watchers cross the due time at the same moment: one notice, one violation.
    const [a, b] = await Promise.all([watchDeadlines(store, watcher(), at(31)), watchDeadlines(store, watcher(), at(31))]);
    expect(a.escalated + b.escalated).toBe(1);
    expect(a.violations + b.violations).toBe(1);
    const afterOverdue = await deadlineNotices('zarechensk', incident.number);
    expect(afterOverdue.map((n) => [n.kind, n.to])).toEqual([['deadline-due-soon', { role: 'curator' }], ['deadline-overdue', { role: 'curator' }]]);
    expect(afterOverdue[1]!.text).toContain('ответственный: куратор');
    expect(await store.incidents.get('zarechensk', incident.number)).toMatchObject({ dueStatus: 'overdue', dueStatusLabel: 'Срок нарушен' });
    expect(await violationsOf('zarechensk', incident.number)).toEqual([expect.objectContaining({
      step: 'triage', stepLabel: STEP_LABELS.triage, responsible: null, department: null, dueAt: at(30), detectedAt: at(31), clause: '000 [9]',
    })]);

    await Promise.all([watchDeadlines(store, watcher(), at(30 + HEAD_AFTER_OVERDUE_MS / MINUTE_MS + 1)), watchDeadlines(store, watcher(), at(30 + HEAD_AFTER_OVERDUE_MS / MINUTE_MS + 1))]);
    await watchDeadlines(store, watcher(), at(200));
    expect((await deadlineNotices('zarechensk', incident.number)).map((n) => [n.kind, n.to])).toEqual([
      ['deadline-due-soon', { role: 'curator' }], ['deadline-overdue', { role: 'curator' }], ['deadline-overdue-head', { role: 'head' }],
    ]);
    expect(await marksOf(incident, triage)).toEqual(['due-soon', 'overdue', 'overdue-head']);
    expect(await violationsOf('zarechensk', incident.number)).toHaveLength(1);
  });

  it('a watcher process reads what is due by key between its sweeps, and a sweep finds an incident a crash left unfiled', async () => {
    // Thursday 26 November 2026, 10:00 Moscow; triage is due 30 minutes after detection (000 [9]).
    const B0 = new Date('2026-11-26T07:00:00Z');
    const { incident: filed } = await newIncident('zarechensk', B0);
    const { incident: lost } = await newIncident('zarechensk', at(1, B0));
    const kinds = async (incident: StoredIncident) => (await deadlineNotices('zarechensk', incident.number)).map((n) => n.kind);
    const progress = newWatchProgress();
    expect((await watchDeadlines(store, watcher(), at(2, B0), progress)).swept).toBe(true);
    // A crash between the second incident's write and its filing: it is under no minute now.
    await rawDb(store).collection('watchSlots').updateMany({}, { $pull: { ids: lost.id } } as never);

    const keyed = await watchDeadlines(store, watcher(), at(11, B0), progress);
    expect(keyed.swept).toBe(false);
    expect(await kinds(filed)).toEqual(['deadline-due-soon']);
    // Its due-soon threshold (10:11) has passed, but a tick by key does not see it…
    expect(await kinds(lost)).toEqual([]);
    // …the sweep ten minutes after the last one does.
    expect((await watchDeadlines(store, watcher(), at(12, B0), progress)).swept).toBe(true);
    expect(await kinds(lost)).toEqual(['deadline-due-soon']);

    expect((await watchDeadlines(store, watcher(), at(21, B0), progress)).swept).toBe(false);
    expect((await watchDeadlines(store, watcher(), at(22, B0), progress)).swept).toBe(true);
    // Both filed under their due time by the watcher's last look, and read by key when it passes.
    const overdue = await watchDeadlines(store, watcher(), at(31.5, B0), progress);
    expect(overdue.swept).toBe(false);
    expect(overdue.violations).toBe(2);
    expect(await kinds(filed)).toEqual(['deadline-due-soon', 'deadline-overdue']);
    expect(await kinds(lost)).toEqual(['deadline-due-soon', 'deadline-overdue']);
    // Time set back (a clock corrected): the next tick sweeps rather than trust the minutes.
    expect((await watchDeadlines(store, watcher(), at(25, B0), progress)).swept).toBe(true);
  });

  it('an executor\'s term goes to the executor, then to the curator with the executor, then to the head; the violation names the person', async () => {
    const { incident, runtime } = await newIncident('zarechensk', T0);
    await store.incidents.apply(runtime, incident.number, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, CURATOR, at(5));
    const assignee = (await store.incidents.get('zarechensk', incident.number))!.assignee!;
    const draft = await termOf('zarechensk', incident.number, 'draft');
    expect(draft.responsible).toBe(assignee);

    for (const minutes of [-10, 1, HEAD_AFTER_OVERDUE_MS / MINUTE_MS + 1]) await watchDeadlines(store, watcher(), at(minutes, draft.dueAt));
    const ofDraft = (await deadlineNotices('zarechensk', incident.number)).filter((n) => n.text.includes(`«${STEP_LABELS.draft}»`));
    expect(ofDraft.map((n) => [n.kind, n.to])).toEqual([
      ['deadline-due-soon', { staff: assignee }],
      ['deadline-overdue', { role: 'curator' }],
      ['deadline-overdue', { staff: assignee }],
      ['deadline-overdue-head', { role: 'head' }],
    ]);
    expect(ofDraft[1]!.text).toContain(`ответственный: ${runtime.staff.find((m) => m.code === assignee)!.fullName}`);
    // The triage term was met at the routing: nothing was said about it.
    expect((await deadlineNotices('zarechensk', incident.number)).filter((n) => n.text.includes(`«${STEP_LABELS.triage}»`))).toEqual([]);
    expect(await violationsOf('zarechensk', incident.number)).toEqual(expect.arrayContaining([
      expect.objectContaining({ step: 'draft', responsible: assignee, department: 'zhkh', dueAt: draft.dueAt }),
    ]));
  });

  it('the watcher\'s mark leaves the revision alone (a command decided a moment before it still goes through), and a met term clears the incident\'s mark', async () => {
    const { incident, runtime } = await newIncident('zarechensk', at(360));
    const before = (await store.incidents.get('zarechensk', incident.number))!;
    await watchDeadlines(store, watcher(), at(371));
    const marked = (await store.incidents.get('zarechensk', incident.number))!;
    expect(marked).toMatchObject({ revision: before.revision, dueStatus: 'due-soon' });
    expect(await marksOf(incident, before.deadlines.find((d) => d.step === 'triage')!)).toEqual(['due-soon']);
    // The curator's routing, decided on the copy read before the watcher's tick, is not refused.
    await store.incidents.apply(runtime, incident.number, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, CURATOR, at(372));
    const routed = (await store.incidents.get('zarechensk', incident.number))!;
    expect(routed.deadlines.find((d) => d.step === 'triage')).toMatchObject({ metAt: at(372) });
    // The term is met: the next tick clears the incident's mark, and says nothing more of it.
    await watchDeadlines(store, watcher(), at(373));
    expect(await store.incidents.get('zarechensk', incident.number)).toMatchObject({ dueStatus: null, dueStatusLabel: null });
    expect((await deadlineNotices('zarechensk', incident.number)).filter((n) => n.text.includes(`«${STEP_LABELS.triage}»`))).toHaveLength(1);
  });

  it('a conditional term (return as not ours, 001 [11]) is never due soon nor overdue', async () => {
    const { incident, runtime } = await newIncident('vpoly', T0);
    await store.incidents.apply(runtime, incident.number, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, CURATOR, at(5));
    const routed = (await store.incidents.get('vpoly', incident.number))!;
    const ret = routed.deadlines.find((d) => d.step === 'return')!;
    expect(ret).toMatchObject({ conditional: true, metAt: null });
    for (const minutes of [-10, 1, 200]) await watchDeadlines(store, watcher(), at(minutes, ret.dueAt));
    expect(await marksOf(routed, ret)).toEqual([]);
    expect((await deadlineNotices('vpoly', incident.number)).filter((n) => n.text.includes(`«${STEP_LABELS.return}»`))).toEqual([]);
    expect((await violationsOf('vpoly', incident.number)).map((v) => v.step)).not.toContain('return');
  });

  it('the watcher worker process escalates a term overdue now, once, and stops cleanly on SIGTERM', async () => {
    // Detected at 10:00 on a working Tuesday in the past: by the real clock, whatever the day
    // and hour the test runs, its triage term (10:30 that day) is long overdue. ("Two days
    // ago" was not: from a Friday afternoon the 30 minutes ran into Monday.)
    const { incident } = await newIncident('zarechensk', T0);
    const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/launch.js', 'watcher'], {
      env: { ...process.env, MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: store.dbName, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    try {
      const deadline = Date.now() + 30000;
      while (!(await deadlineNotices('zarechensk', incident.number)).some((n) => n.kind === 'deadline-overdue-head')) {
        if (Date.now() > deadline) throw new Error('the watcher worker did not escalate within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    } finally {
      worker.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const triage = (await deadlineNotices('zarechensk', incident.number)).filter((n) => n.text.includes(`«${STEP_LABELS.triage}»`));
    // Found long overdue: no "due soon" reminder, the curator and the head once each.
    expect(triage.map((n) => [n.kind, n.to])).toEqual([['deadline-overdue', { role: 'curator' }], ['deadline-overdue-head', { role: 'head' }]]);
    expect((await violationsOf('zarechensk', incident.number)).filter((v) => v.step === 'triage')).toHaveLength(1);
  }, 60000);

  it('an incident of a removed tenant is reported and skipped; the others are watched', async () => {
    const { incident } = await newIncident('zarechensk', at(0, new Date('2026-11-25T07:00:00Z')));
    await rawDb(store).collection('incidents').insertOne({
      _id: 'gone:1' as never, tenant: 'gone', number: 1, state: 'triage', revision: 1, archiveMonth: '2026-11', message: 'gone:vk:1',
      deadlines: [{ step: 'triage', dueAt: new Date('2026-11-25T07:00:00Z'), responsible: null, metAt: null, notified: [] }],
      nextDueAt: new Date('2026-11-25T07:00:00Z'), dueStatus: null, departments: [], drafts: [], publication: {}, history: [],
    });
    const report = await watchDeadlines(store, watcher(), new Date('2026-11-25T07:31:00Z'));
    expect(report.errors).toEqual([expect.objectContaining({ tenant: 'gone', number: 1, error: expect.stringContaining('gone') })]);
    expect((await deadlineNotices('zarechensk', incident.number)).map((n) => n.kind)).toContain('deadline-overdue');
    await rawDb(store).collection('incidents').deleteOne({ _id: 'gone:1' as never });
  });

  it('queues publishing again for an approved answer whose item was lost, but not for one handed to a person', async () => {
    const { incident, runtime } = await newIncident('zarechensk', T0);
    await store.incidents.apply(runtime, incident.number, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, CURATOR, at(5));
    const assignee = (await store.incidents.get('zarechensk', incident.number))!.assignee!;
    const executor: Actor = { kind: 'staff', code: assignee, roles: ['executor'] };
    await store.incidents.apply(runtime, incident.number, { type: 'take' }, executor, at(6));
    await store.incidents.apply(runtime, incident.number, { type: 'submit-draft', draft: { id: `lost-${incident.number}`, kind: 'answer', text: 'Воду дадут 26 ноября 2026 года до 18:00.' } }, executor, at(20));
    await store.incidents.apply(runtime, incident.number, { type: 'approve' }, CURATOR, at(25));
    const works = rawDb(store).collection('work.publish');
    expect(await works.countDocuments({ ref: `${incident.number}:lost-${incident.number}` })).toBe(1);

    // Lost, as if the queue had been restored from an older backup.
    await works.deleteMany({});
    const report = await watchDeadlines(store, watcher(), at(26));
    expect(report.requeued).toBe(1);
    expect(await works.findOne({})).toMatchObject({ ref: `${incident.number}:lost-${incident.number}`, payload: { number: incident.number, draftId: `lost-${incident.number}` } });
    // Already there: queuing again adds nothing.
    expect((await watchDeadlines(store, watcher(), at(27))).requeued).toBe(0);

    await works.deleteMany({});
    await rawDb(store).collection('incidents').updateOne({ _id: incident.id as never }, { $set: { 'publication.manualCheck': { at: at(27), reason: 'проверка' } } });
    expect((await watchDeadlines(store, watcher(), at(28))).requeued).toBe(0);
    expect(await store.work.pending('publish')).toBe(0);
  });

  it('the wait for the author\'s clarification reminds the curator, then says to decide — never a violation, never the head (001 [17])', async () => {
    const { incident, runtime } = await newIncident('zarechensk', T0);
    const n = incident.number;
    await store.incidents.apply(runtime, n, { type: 'confirm-and-route', topic: 'ЖКХ', location: null, importance: 'normal', departments: ['zhkh'] }, CURATOR, at(5));
    const executor: Actor = { kind: 'staff', code: (await store.incidents.get('zarechensk', n))!.assignee!, roles: ['executor'] };
    await store.incidents.apply(runtime, n, { type: 'take' }, executor, at(6));
    await store.incidents.apply(runtime, n, { type: 'submit-draft', draft: { id: `c${n}`, kind: 'clarification', text: 'Уточните, пожалуйста, номер дома.' } }, executor, at(10));
    await store.incidents.apply(runtime, n, { type: 'approve' }, CURATOR, at(15));
    await store.incidents.apply(runtime, n, { type: 'publish-started' }, { kind: 'system', name: 'publisher' }, at(16));
    await store.incidents.apply(runtime, n, { type: 'published' }, { kind: 'system', name: 'publisher' }, at(16));
    const waiting = (await store.incidents.get('zarechensk', n))!;
    expect(waiting.state).toBe('awaiting-author');
    const wait = waiting.deadlines.find((d) => d.awaitsAuthor && d.metAt === null)!;
    expect(wait).toBeDefined();
    // `otklik due` lists it as a wait for the author, not as a staff term.
    expect((await store.deadlines.due(at(1, wait.dueAt), 0, 'zarechensk')).filter((d) => d.number === n)).toEqual([expect.objectContaining({ awaitsAuthor: true, overdue: true })]);
    for (const minutes of [-10, 1, HEAD_AFTER_OVERDUE_MS / MINUTE_MS + 5]) await watchDeadlines(store, watcher(), at(minutes, wait.dueAt));
    const told = (await deadlineNotices('zarechensk', n)).filter((x) => x.text.includes('запрос уточнения'));
    expect(told.map((x) => [x.kind, x.to])).toEqual([['deadline-due-soon', { role: 'curator' }], ['deadline-overdue', { role: 'curator' }]]);
    expect(told[1]!.text).toContain('Закройте обращение («Готово») или продолжите работу без уточнения');
    expect((await violationsOf('zarechensk', n)).map((v) => v.step)).not.toContain(wait.step);
  });

  it('terms computed past the loaded calendar are provisional, and move to their right time once the year is imported', async () => {
    // 30 December 2026, 10:00 Moscow: the answer's 8 working hours reach into 2027, whose calendar is not loaded.
    const { incident } = await newIncident('zarechensk', new Date('2026-12-30T07:00:00Z'));
    const before = (await store.incidents.get('zarechensk', incident.number))!;
    const answer = before.deadlines.find((d) => d.step === 'answer' && d.metAt === null)!;
    expect(answer.provisional).toMatchObject({ years: [2027], note: 'срок предварительный: календарь на 2027 год не загружен' });
    expect((await store.deadlines.due(new Date('2026-12-30T07:00:00Z'), 30 * 24 * 3600_000, 'zarechensk')).find((d) => d.number === incident.number && d.step === 'answer')?.provisional)
      .toBe('срок предварительный: календарь на 2027 год не загружен');
    // The admin imports 2027, whose decree makes 31 December 2026… no: makes 11 January a day off as well.
    await store.calendar.save({ year: 2027, source: 'test', days: [
      ...['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => ({ date: `2027-01-${d}`, kind: 'dayoff' as const })),
      { date: '2027-01-11', kind: 'dayoff' as const },
    ] });
    const report = await watchDeadlines(store, watcher(), new Date('2026-12-30T08:00:00Z'));
    expect(report.revised).toBeGreaterThanOrEqual(1);
    const after = (await store.incidents.get('zarechensk', incident.number))!;
    const revised = after.deadlines.find((d) => d.step === 'answer' && d.metAt === null)!;
    expect(revised.provisional ?? null).toBeNull();
    expect(after.history.at(-1)!.why).toBe('Сроки пересчитаны по загруженному производственному календарю');
    if (revised.dueAt.getTime() !== answer.dueAt.getTime()) {
      expect((await rawDb(store).collection('notices').find({ incidentNumber: incident.number, kind: 'deadline-moved' }).toArray()).length).toBeGreaterThan(0);
    }
    // Nothing left to revise: the next tick changes nothing.
    expect((await watchDeadlines(store, watcher(), new Date('2026-12-30T08:01:00Z'))).revised).toBe(0);
    await rawDb(store).collection('calendarYears').deleteMany({ year: 2027 });

  });

  it('warns admins and curators 60 days before the loaded calendar ends, once a week', async () => {
    const quiet = createLogger('watcher-test', 'silent');
    // The watcher process started above ran this job at the real date: its notices are not this test's.
    await rawDb(store).collection('notices').deleteMany({ kind: 'calendar' });
    expect(await warnOfCalendar(store, quiet, new Date('2026-10-01T09:00:00Z'))).toBe(0);
    const sent = await warnOfCalendar(store, quiet, new Date('2026-11-29T09:00:00Z'));
    // (Keys carry the week: a real run in that week would have made them already.)
    expect(sent).toBeGreaterThan(0);
    expect(await warnOfCalendar(store, quiet, new Date('2026-11-29T15:00:00Z'))).toBe(0);
    const notices = await rawDb(store).collection('notices').find({ kind: 'calendar', tenant: 'zarechensk' }).toArray();
    expect(notices.map((n) => n.to).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ role: 'admin' }, { role: 'curator' }]);
    expect(notices[0]!.text).toMatch(/Производственный календарь загружен по 2026 год .* Загрузите календарь на 2027 год: curl -fsSL https:\/\/xmlcalendar\.ru\/data\/ru\/2027\/calendar\.xml/);
  });
});
