import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { AdminFileError } from '../../config/admin-errors.js';
import { readAdminFile } from '../../config/admin-file.js';
import { tenantFileSchema } from '../../config/tenant-schema.js';
import type { Store } from '../../store/port.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

const EXAMPLE = path.resolve('examples/zarechensk.yaml');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-tenant-files-'));

function writeVariant(name: string, change: (tenant: Record<string, any>) => void): string {
  const tenant = parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, any>;
  change(tenant);
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, stringify(tenant));
  return file;
}

/** The same path as `otklik tenant import`: validate the whole file, then write. */
async function importFile(store: Store, file: string): Promise<void> {
  const parsed = readAdminFile(file, tenantFileSchema);
  await store.tenants.importFile(parsed);
}

function rejection(file: string): AdminFileError {
  try {
    readAdminFile(file, tenantFileSchema);
  } catch (error) {
    if (error instanceof AdminFileError) return error;
    throw error;
  }
  throw new Error(`${file} was accepted`);
}

describe('tenant file validation', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('tenantfile');
  });
  afterAll(async () => {
    await dropTestStore(store);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const badFiles: Array<[string, (t: Record<string, any>) => void, string, RegExp]> = [
    ['missing title', (t) => delete t.title, 'title', /обязательное поле не заполнено/],
    ['misspelt time zone', (t) => (t.timeZone = 'Europe/Moskva'), 'timeZone', /неизвестный часовой пояс/],
    ['unknown regulation profile', (t) => (t.regulationProfile.id = 'moscow'), 'regulationProfile.id', /допустимые значения: krymsk/],
    ['misspelt section', (t) => ((t.departmets = t.departments), delete t.departments), '(весь файл)', /неизвестное поле: departmets/],
    ['staff in a department that does not exist', (t) => (t.staff[3].department = 'zhkx'), 'staff[3].department', /нет отдела «zhkx»/],
    ['deputy who is not on the staff', (t) => (t.staff[0].deputy = 'ivanov'), 'staff[0].deputy', /нет сотрудника «ivanov»/],
    ['department listed twice', (t) => t.departments.push({ code: 'roads', name: 'Дороги-2' }), 'departments[6].code', /уже описан выше/],
    ['office hours ending before they start', (t) => (t.officeHours.mon = ['17:00-08:00']), 'officeHours.mon[0].to', /начало интервала должно быть раньше конца/],
    ['overlapping office hours', (t) => (t.officeHours.tue = ['08:00-13:00', '12:00-17:00']), 'officeHours.tue[1].from', /не пересекаться/],
    ['a token written where its variable name belongs', (t) => (t.accounts[0].tokenEnv = 'vk1.a.SECRETTOKEN'), 'accounts[0].tokenEnv', /имя переменной окружения/],
    ['OK account without its application key', (t) => delete t.accounts[1].applicationKeyEnv, 'accounts[1].applicationKeyEnv', /ключом приложения/],
    ['Telegram id that is not a number', (t) => (t.staff[1].telegramUserId = 'pavel'), 'staff[1].telegramUserId', /ожидается число/],
    ['absence that ends before it starts', (t) => (t.staff[3].absences = [{ from: '2026-12-20', to: '2026-12-10', reason: 'leave' }]), 'staff[3].absences[0].to', /раньше даты начала/],
    ['unknown absence reason', (t) => (t.staff[3].absences = [{ from: '2026-12-10', to: '2026-12-20', reason: 'vacation' }]), 'staff[3].absences[0].reason', /допустимые значения: illness, leave/],
    ['no curator at all', (t) => (t.staff = t.staff.filter((s: { roles: string[] }) => !s.roles.includes('curator')).map((s: Record<string, unknown>) => ({ ...s, deputy: null }))), 'staff', /хотя бы один куратор/],
    ['account using a keyword list that does not exist', (t) => t.accounts[2].keywordLists.push('sport'), 'accounts[2].keywordLists[2]', /нет списка ключевых слов «sport»/],
    ['executor without a department', (t) => delete t.staff[5].department, 'staff[5].department', /исполнителю нужен отдел/],
    ['empty keyword list', (t) => (t.keywordLists[1].keywords = []), 'keywordLists[1].keywords', /список пуст/],
    ['a profile override with a misspelt step', (t) => (t.regulationProfile.overrides = { steps: { answr: { normal: null } } }), 'regulationProfile.overrides.steps', /неизвестное поле: answr/],
    ['street without its settlement', (t) => (t.gazetteer[6].settlement = ''), 'gazetteer[6].settlement', /укажите населённый пункт/],
  ];

  it.each(badFiles)('rejects a file with %s, naming the field, and writes nothing', async (name, change, field, message) => {
    const file = writeVariant(name.replace(/\W+/g, '-'), change);
    const error = rejection(file);
    const line = error.message.split('\n').find((l) => l.includes(`: ${field}: `));
    expect(line).toBeDefined();
    expect(line).toContain(file);
    expect(line).toMatch(message);
    await expect(importFile(store, file)).rejects.toBeInstanceOf(AdminFileError);
    expect(await rawDb(store).collection('tenants').countDocuments()).toBe(0);
    expect(await rawDb(store).collection('staff').countDocuments()).toBe(0);
  });

  it('gives the line of the offending field', () => {
    const file = writeVariant('line', (t) => (t.timeZone = 'Mars/Olympus'));
    const error = rejection(file);
    const expectedLine = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('timeZone:')) + 1;
    expect(error.problems).toEqual([expect.objectContaining({ path: 'timeZone', line: expectedLine })]);
    expect(error.message).toContain(`${file}:${expectedLine}: timeZone:`);
  });

  it('reports a YAML syntax error with its line', () => {
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, 'name: x\ntitle: "unclosed\ntimeZone: Europe/Moscow\n');
    const error = rejection(file);
    expect(error.problems[0]?.path).toBe('(разметка YAML)');
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('reports every field problem of a file at once', () => {
    // Cross-references (departments, deputies) are checked once the fields themselves are valid.
    const file = writeVariant('many', (t) => {
      delete t.title;
      t.timeZone = 'Nowhere';
      t.staff[0].telegramUserId = 'ghost';
    });
    expect(rejection(file).problems.map((p) => p.path).sort()).toEqual(['staff[0].telegramUserId', 'timeZone', 'title']);
  });

  it('imports the example, is idempotent, and exports a file that imports back unchanged', async () => {
    const first = await store.tenants.importFile(readAdminFile(EXAMPLE, tenantFileSchema));
    expect(first.tenant?.created).toEqual(['zarechensk']);
    expect(first.staff?.created).toHaveLength(10);
    expect(first.gazetteer?.created).toHaveLength(17);
    const second = await store.tenants.importFile(readAdminFile(EXAMPLE, tenantFileSchema));
    for (const section of Object.values(second)) expect(section?.created.length ?? 0 + (section?.changed.length ?? 0)).toBe(0);
    expect(second.staff?.unchanged).toHaveLength(10);

    const exported = path.join(dir, 'exported.yaml');
    fs.writeFileSync(exported, stringify(await store.tenants.exportFile('zarechensk')));
    const third = await store.tenants.importFile(readAdminFile(exported, tenantFileSchema));
    for (const section of Object.values(third)) {
      expect(section?.created).toEqual([]);
      expect(section?.changed).toEqual([]);
    }
    const kuznetsov = await rawDb(store).collection('staff').findOne({ tenant: 'zarechensk', code: 'kuznetsov' });
    // Absence days are whole local days in the tenant's zone (Europe/Moscow, UTC+3).
    expect(kuznetsov?.absences[0].from.toISOString()).toBe('2026-12-13T21:00:00.000Z');
    expect(kuznetsov?.absences[0].reasonLabel).toBe('отпуск');
  });

  it('reports a changed field as changed and leaves the rest alone', async () => {
    const file = writeVariant('changed', (t) => (t.departments[0].name = 'Отдел жилищно-коммунального хозяйства'));
    const report = await store.tenants.importFile(readAdminFile(file, tenantFileSchema));
    expect(report.departments?.changed).toEqual(['zhkh']);
    expect(report.departments?.unchanged).toHaveLength(5);
  });
});
