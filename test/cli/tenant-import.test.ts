// Issue 12, points 4–6 as an admin meets them: the real `./bin/otklik` against a fresh
// database on the embedded test server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import type { Store } from '../../store/port.js';
import { runOtklik } from '../support/cli.js';
import { dropTestStore, openTestStore } from '../support/store.js';

let store: Store;
let dir: string;
const EXAMPLE = path.resolve('examples/zarechensk.yaml');
const STAFF_HEADER = 'code,fullName,roles,department,telegramUserId,deputy';
const STAFF_ROWS = [
  'petrova,Петрова Анна Сергеевна,curator,,100001,smirnov',
  'smirnov,Смирнов Павел Игоревич,curator;admin,,100002,',
  'glava,Белов Андрей Викторович,head,,100003,',
  'kuznetsov,Кузнецов Олег Петрович,executor,zhkh,100011,orlova',
  'orlova,Орлова Мария Андреевна,executor,zhkh,100012,kuznetsov',
  'sokolov,Соколов Игорь Николаевич,executor,roads,100013,',
  'morozova,Морозова Елена Викторовна,executor,blago,100014,',
  'volkova,Волкова Татьяна Юрьевна,executor,social,100015,',
  'lebedev,Лебедев Артём Сергеевич,executor,education,100016,',
  'nikitin,Никитин Денис Олегович,executor,gochs,100017,',
];

function otklik(args: string[]) {
  return runOtklik(store.dbName, args);
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  store = await openTestStore('cli_import');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-import-'));
  const run = await otklik(['tenant', 'import', EXAMPLE]);
  expect(run.code).toBe(0);
}, 60000);

afterAll(async () => {
  await dropTestStore(store);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('section imports keep the whole-file rules (point 5)', () => {
  it('refuses a staff CSV with a code twice, naming its line, and changes nothing', async () => {
    const file = write('twice.csv', [STAFF_HEADER, ...STAFF_ROWS, 'orlova,Орлова М. А.,executor,zhkh,100099,'].join('\n'));
    const run = await otklik(['staff', 'import', '-t', 'zarechensk', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${file}: ошибка, ничего не записано\n  ${file}:12: [10].code: сотрудник «orlova» уже описан выше\n`);
    expect((await store.tenants.exportStaff('zarechensk')).find((s) => s.code === 'orlova')?.telegramUserId).toBe(100012);
  });

  it('refuses departments naming someone who is not on the staff, at the line of the name', async () => {
    const departments = (parse(fs.readFileSync(EXAMPLE, 'utf8')) as { departments: Array<{ code: string; executors: string[] }> }).departments;
    departments[2]!.executors.push('ivanov');
    const file = write('departments.yaml', stringify({ departments }));
    const run = await otklik(['departments', 'import', '-t', 'zarechensk', file]);
    expect(run.code).toBe(1);
    const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('- ivanov')) + 1;
    expect(run.stderr).toContain(`${file}:${line}: departments[2].executors[1]: нет сотрудника «ivanov» в разделе staff`);
  });

  it('refuses a staff list whose removal leaves a stored department with that executor, naming the department', async () => {
    const file = write('no-sokolov.csv', [STAFF_HEADER, ...STAFF_ROWS.filter((r) => !r.startsWith('sokolov,'))].join('\n'));
    const run = await otklik(['staff', 'import', '-t', 'zarechensk', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}: отдел «roads» (загружен ранее).executors[0]: нет сотрудника «sokolov» в разделе staff`);
  });
});

describe('staff left out are deactivated (point 6)', () => {
  it('says who was deactivated and why', async () => {
    const file = write('no-glava.csv', [STAFF_HEADER, ...STAFF_ROWS.filter((r) => !r.startsWith('glava,'))].join('\n'));
    const run = await otklik(['staff', 'import', '-t', 'zarechensk', file]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('сотрудники: создано 0, изменено 0, без изменений 9, отключено 1 (glava) — их нет в файле, доступ к боту и рабочему месту закрыт\n');
    expect(await store.staff.byTelegramId(100003)).toEqual([]);
  });
});

describe('a large file and a failing store (point 4)', () => {
  it('imports a 20,000-entry gazetteer with progress lines, and a repeat changes nothing', async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `street,улица Номер ${i + 1},Зареченск,ул. Номер ${i + 1}`);
    const file = write('streets.csv', ['kind,name,settlement,aliases', ...rows].join('\n'));
    const run = await otklik(['gazetteer', 'import', '-t', 'zarechensk', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^справочник мест: создано 20000 \(street: улица Номер 1 \(Зареченск\), .*\), изменено 0, без изменений 0\n$/);
    const progress = run.stderr.trimEnd().split('\n');
    expect(progress).toHaveLength(21);
    expect(progress[0]).toBe('справочник мест: записано 1000 из 20017');
    expect(progress.at(-1)).toBe('справочник мест: записано 20017 из 20017');
    const again = await otklik(['gazetteer', 'import', '-t', 'zarechensk', file]);
    expect(again.stdout).toBe('справочник мест: создано 0, изменено 0, без изменений 20000\n');
    expect(again.stderr).toBe('');
  });

  it('answers a store failure in Russian without a stack trace, and the old configuration stays', async () => {
    const before = await store.tenants.exportFile('zarechensk');
    const tenant = parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, any>;
    tenant.title = 'Администрация Зареченского городского округа';
    // Valid by every rule, but larger than any document the store can hold (16 MiB).
    tenant.keywordLists[1].keywords.push('Зареченск '.repeat(1_800_000));
    const file = write('too-large.yaml', stringify(tenant, { lineWidth: 0 }));
    const run = await otklik(['tenant', 'import', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^импорт не записан: хранилище ответило ошибкой при записи раздела keywordLists \(.+\)\. Прежняя конфигурация муниципалитета «zarechensk» не изменена; повторите импорт, когда хранилище будет в порядке\n$/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await store.tenants.exportFile('zarechensk')).title).toBe(before.title);
    expect(await store.tenants.exportFile('zarechensk')).toEqual(before);
  });
});
