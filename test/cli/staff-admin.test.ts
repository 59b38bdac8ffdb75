// The admin commands of issue 8 as an admin runs them: the real launcher against a fresh
// database on the embedded test server, with an incident made by the classifier worker's
// step and moved by the workflow.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { dbOf, type Store } from '../../store/connection.js';
import { staffModel } from '../../store/models/staff.js';
import { tenantModel } from '../../store/models/tenant.js';
import { classifyQueued } from '../support/classify.js';
import { runOtklik } from '../support/cli.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

let store: Store;
let dir: string;

function otklik(args: string[]) {
  return runOtklik(store.dbName, args);
}

const message: NormalizedMessage = {
  network: 'vk', externalId: 'wall-218475963_1377_9', kind: 'comment',
  place: { containerId: '-218475963', postId: '1377', itemId: '9', url: 'https://vk.com/wall-218475963_1377?reply=9' },
  author: { id: 'ivanov', name: 'Иван Смирнов', anonymous: false },
  text: 'На улице Ленина в доме 5 третий день нет горячей воды. Когда починят?', attachments: [],
  createdAt: new Date('2026-11-24T07:00:00Z'), matchedKeywords: [], raw: { id: 9 },
};

beforeAll(async () => {
  store = await openTestStore('cli_staff');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-admin-'));
  await store.tenants.importFile(tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8'))));
  await store.messages.ingest('zarechensk', [message], 'vk-main');
  await rawDb(store).collection('messages').updateMany({}, { $set: { fetchedAt: new Date('2026-11-24T07:00:10Z') } });
  await classifyQueued(store, new Date('2026-11-24T07:00:30Z'));
  const runtime = await store.tenants.runtime('zarechensk');
  const curator = { kind: 'staff', code: 'petrova', roles: ['curator'] } as const;
  await store.incidents.apply(runtime, 1, { type: 'confirm-and-route', topic: 'ЖКХ', location: 'улица Ленина, 5', importance: 'normal', departments: ['zhkh'] }, curator, new Date('2026-11-24T07:10:00Z'));
}, 60000);

afterAll(async () => {
  await dropTestStore(store);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('otklik due', () => {
  it('lists the terms by department and person, overdue first, in the tenant time zone', async () => {
    // Thursday 26 November 12:00 Moscow: the 8 working hours of the answer from 10:00:10 on the 24th (000 [6]) ran out at 10:00 on the 25th.
    const run = await otklik(['due', '--tenant', 'zarechensk', '--now', '2026-11-26T09:00:00Z']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Администрация городского округа Зареченск (zarechensk, Europe/Moscow): просрочено 2, истекает в ближайшие 4 ч: 0');
    expect(lines.slice(1)).toEqual([
      '  Отдел ЖКХ',
      '    Кузнецов Олег Петрович',
      expect.stringMatching(/^ {6}ПРОСРОЧЕНО № 1 — проект ответа до 2[45]\.11\.2026 \d\d:\d\d \(Передано исполнителю; 000 \[10\]\)$/),
      expect.stringMatching(/^ {6}ПРОСРОЧЕНО № 1 — ответ автору до 25\.11\.2026 10:00 \(Передано исполнителю; 000 \[6\]\)$/),
    ]);
  });

  it('writes JSON lines for scripts, and nothing while every term is far off', async () => {
    const json = await otklik(['due', '--json', '--now', '2026-11-26T09:00:00Z']);
    const rows = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.at(-1)).toEqual({
      tenant: 'zarechensk', number: 1, state: 'Передано исполнителю', step: 'answer', stepLabel: 'ответ автору', dueAt: '2026-11-25T10:00:10+03:00',
      overdue: true, department: 'zhkh', departmentName: 'Отдел ЖКХ', responsible: 'kuznetsov', responsibleName: 'Кузнецов Олег Петрович', clause: '000 [6]',
      awaitsAuthor: false, provisional: null,
    });
    const early = await otklik(['due', '--json', '--now', '2026-11-24T07:15:00Z', '--within-hours', '1']);
    expect(early.stdout).toBe('');
    const bad = await otklik(['due', '--now', 'завтра']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--now: «завтра» — не дата ISO 8601');
  });
});

describe('otklik incident show', () => {
  it('tells the whole story: message, verdict, decisions, history and deadlines', async () => {
    const run = await otklik(['incident', 'show', '1']);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('Обращение № 1 — Администрация городского округа Зареченск (zarechensk), время Europe/Moscow');
    expect(out).toContain('Состояние: Передано исполнителю [assigned], версия 2');
    expect(out).toContain('важность: повышенная — Нет водоснабжения');
    expect(out).toContain('ответ автору: до 25.11.2026 10:00, отвечает Кузнецов Олег Петрович — открыт (000 [6])');
    expect(out).toContain('ВКонтакте, автор Иван Смирнов (ivanov), опубликовано 24.11.2026 10:00, выявлено 24.11.2026 10:00');
    expect(out).toContain('https://vk.com/wall-218475963_1377?reply=9');
    expect(out).toMatch(/тема: ЖКХ \(\d+ %\)/);
    expect(out).toContain('подразделения: Отдел ЖКХ; исполнитель: Кузнецов Олег Петрович');
    expect(out).toMatch(/24\.11\.2026 10:00 {2}system:classifier: Новое → На распределении/);
    expect(out).toMatch(/24\.11\.2026 10:10 {2}Петрова Анна Сергеевна: На распределении → Передано исполнителю — Исполнитель подразделения «Отдел ЖКХ»/);
    expect(out).toContain('распределение: до 24.11.2026 10:30, отвечает кураторы — выполнено в срок 24.11.2026 10:10 (000 [9])');
    expect(out).toContain('Публикация\n  не опубликовано');
  });

  it('says so when the incident does not exist', async () => {
    const run = await otklik(['incident', 'show', '77', '--tenant', 'zarechensk']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('обращение № 77 не найдено в zarechensk');
  });
});

describe('otklik profile', () => {
  it('shows the resolved profile with the clause of every term', async () => {
    const run = await otklik(['profile', 'show', '--tenant', 'zarechensk']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('zarechensk: регламент krymsk — Крымский район');
    expect(run.stdout).toContain('  ответ автору: 8 ч рабочего времени от выявления [000 [6]]\n    повышенная: 4 ч рабочего времени от выявления [000 [9, 14]]');
    expect(run.stdout).toContain('Переопределения администрации: {}');
  });

  it('refuses a bad override naming the file, the field and the line, and stores nothing', async () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'steps:\n  answer:\n    normal:\n      term: { kind: working-hours, minutes: -5 }\n      from: detected\n');
    const run = await otklik(['profile', 'set', file, '--tenant', 'zarechensk']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toMatch(/steps\.answer\.normal/);
    expect(run.stderr).toMatch(/строка 4|:4/);
    expect((await tenantModel(dbOf(store).connection).findOne({ name: 'zarechensk' }).lean())!.regulationProfile!.overrides).toEqual({});
  });

  it('stores a valid override, which the deadlines then use', async () => {
    const file = path.join(dir, 'answer-6h.yaml');
    fs.writeFileSync(file, 'steps:\n  answer:\n    normal:\n      term: { kind: working-hours, minutes: 360 }\n      from: detected\n      clause: постановление администрации № 12\n');
    const run = await otklik(['profile', 'set', file, '--tenant', 'zarechensk']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('  ответ автору: 6 ч рабочего времени от выявления [постановление администрации № 12]');
    const runtime = await store.tenants.runtime('zarechensk');
    expect(runtime.profile.steps.answer.normal).toMatchObject({ term: { kind: 'working-hours', minutes: 360 } });
  });
});

describe('otklik staff absence add', () => {
  it('adds a period with a deputy, which routing then honours', async () => {
    const run = await otklik(['staff', 'absence', 'add', 'orlova', '--from', '2026-12-01', '--to', '2026-12-05', '--reason', 'illness', '--deputy', 'kuznetsov', '--tenant', 'zarechensk']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('orlova: болезнь 2026-12-01 — 2026-12-05 (5 дн.); замещает: kuznetsov\n');
    const orlova = await staffModel(dbOf(store).connection).findOne({ tenant: 'zarechensk', code: 'orlova' }).lean();
    expect(orlova!.deputy).toBe('kuznetsov');
    // Whole local days in Moscow: from 00:00 on the 1st to the end of the 5th.
    expect(orlova!.absences).toEqual([expect.objectContaining({ from: new Date('2026-11-30T21:00:00Z'), to: new Date('2026-12-05T20:59:59.999Z'), reason: 'illness', reasonLabel: 'болезнь' })]);
  });

  it('refuses an overlapping period, a deputy who is away then, and a malformed date', async () => {
    const overlap = await otklik(['staff', 'absence', 'add', 'orlova', '--from', '2026-12-05', '--to', '2026-12-08', '--reason', 'leave']);
    expect(overlap.code).toBe(1);
    expect(overlap.stderr).toContain('у сотрудника «orlova» уже есть отсутствие, пересекающееся с 2026-12-05 — 2026-12-08');
    // kuznetsov is on leave 14–25 December (examples/zarechensk.yaml).
    const deputyAway = await otklik(['staff', 'absence', 'add', 'orlova', '--from', '2026-12-20', '--to', '2026-12-22', '--reason', 'study', '--deputy', 'kuznetsov']);
    expect(deputyAway.code).toBe(1);
    expect(deputyAway.stderr).toContain('--deputy: Кузнецов Олег Петрович сам отсутствует 2026-12-14 — 2026-12-25');
    const badDate = await otklik(['staff', 'absence', 'add', 'orlova', '--from', '2026-13-01', '--to', '2026-12-22', '--reason', 'leave']);
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toMatch(/^--from: /);
    expect((await staffModel(dbOf(store).connection).findOne({ tenant: 'zarechensk', code: 'orlova' }).lean())!.absences).toHaveLength(1);
  });
});
