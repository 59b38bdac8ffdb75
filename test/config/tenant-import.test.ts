// Issue 12, points 4–6: imports all or nothing, section imports checked as the whole tenant
// they leave, and staff left out of an import deactivated with their access ended. Against
// the real embedded store; the staff bot is the real one over nock's Telegram.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import nock from 'nock';
import { parse } from 'yaml';
import { tenantFileSchema, type GazetteerEntry, type StaffEntry, type TenantFile } from '../../config/tenant-schema.js';
import { ConcurrentImportError, ImportWriteError, TenantRulesError } from '../../store/import-errors.js';
import type { Store } from '../../store/port.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';
import { newBot } from '../workers/support/staff-bot-setup.js';
import { FakeTelegram, type Person } from '../workers/support/staff-bot-telegram.js';
import { REFUSAL } from '../../workers/staff-bot/texts.js';

const example = (): TenantFile => tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')));
const NOW = new Date('2026-11-24T07:00:00Z');

function streets(count: number, settlement = 'Зареченск'): GazetteerEntry[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'street' as const, name: `улица Номер ${i + 1}`, settlement, aliases: [`ул. Номер ${i + 1}`] }));
}

/** The file without orlova: out of the staff, of the ЖКХ executors and of kuznetsov's deputy. */
function withoutOrlova(file: TenantFile): TenantFile {
  return {
    ...file,
    staff: file.staff!.filter((s) => s.code !== 'orlova').map((s) => (s.deputy === 'orlova' ? { ...s, deputy: null } : s)),
    departments: file.departments!.map((d) => ({ ...d, executors: d.executors.filter((e) => e !== 'orlova') })),
  };
}

type Hook = (collectionName: string, call: number) => Promise<void>;

/**
 * The store failing under an import: every insert into the hooked collection goes through
 * `hook` first, which may throw as the server would. The driver's own methods are wrapped,
 * so any way of writing the section meets the failure.
 */
function failWrites(collectionName: string, hook: Hook): () => void {
  const proto = mongoose.mongo.Collection.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = { insertOne: proto.insertOne!, insertMany: proto.insertMany!, updateOne: proto.updateOne!, bulkWrite: proto.bulkWrite! };
  let calls = 0;
  for (const [name, original] of Object.entries(originals)) {
    proto[name] = async function (this: { collectionName: string }, ...args: unknown[]) {
      // A gazetteer version may be a collection of its own: `gazetteer.<tenant>.<version>`.
      if (this.collectionName === collectionName || this.collectionName.startsWith(`${collectionName}.`)) await hook(collectionName, ++calls);
      return original.apply(this, args);
    };
  }
  return () => Object.assign(proto, originals);
}

let store: Store;

beforeAll(async () => {
  store = await openTestStore('tenant_import');
});

afterAll(async () => {
  await dropTestStore(store);
});

async function freshTenant(): Promise<void> {
  await store.maintenance.dropDatabase();
  await store.tenants.importFile(example(), { now: NOW });
}

describe('an import is applied whole or not at all (point 4)', () => {
  beforeEach(freshTenant);

  it('leaves the previous configuration whole when the store fails midway, and says so in Russian', async () => {
    const before = await store.tenants.exportFile('zarechensk');
    const file = withoutOrlova(example());
    file.title = 'Администрация Зареченского городского округа';
    file.departments![0]!.name = 'Отдел жилищно-коммунального хозяйства';
    file.gazetteer = [...file.gazetteer!, ...streets(2500)];
    // The second write into the gazetteer fails, as a server that went away would.
    const restore = failWrites('gazetteer', async (_name, call) => {
      if (call === 2) throw new mongoose.mongo.MongoServerError({ message: 'connection reset by peer', code: 6 });
    });
    let error: unknown;
    try {
      await store.tenants.importFile(file, { now: NOW, batchSize: 1000 });
    } catch (caught) {
      error = caught;
    } finally {
      restore();
    }
    expect(error).toBeInstanceOf(ImportWriteError);
    expect((error as ImportWriteError).retryable).toBe(true);
    expect((error as Error).message).toContain('Прежняя конфигурация муниципалитета «zarechensk» не изменена');
    // Tenant, departments, staff, lists and gazetteer exactly as before; orlova still at work.
    expect(await store.tenants.exportFile('zarechensk')).toEqual(before);
    expect(await store.staff.byTelegramId(100012)).toEqual([expect.objectContaining({ code: 'orlova' })]);
    // Nothing of the failed attempt is left in the collections either.
    const gazetteers = (await rawDb(store).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith('gazetteer.zarechensk.'));
    expect(gazetteers).toHaveLength(1);
    expect(await rawDb(store).collection(gazetteers[0]!).countDocuments()).toBe(17);
    // The same import then goes through whole.
    await store.tenants.importFile(file, { now: NOW });
    const after = await store.tenants.exportFile('zarechensk');
    expect(after.title).toBe('Администрация Зареченского городского округа');
    expect(after.gazetteer).toHaveLength(17 + 2500);
  });

  it('never shows a reader half an import', async () => {
    const file = withoutOrlova(example());
    file.departments![0]!.name = 'Отдел жилищно-коммунального хозяйства';
    file.gazetteer = [...file.gazetteer!, ...streets(2500)];
    const seen: Array<{ department: string; staff: number; orlova: number; gazetteer: number }> = [];
    const restore = failWrites('gazetteer', async () => {
      if (seen.length >= 3) return;
      // Between two batches of the new gazetteer, after departments and staff were written.
      const runtime = await store.tenants.runtime('zarechensk');
      seen.push({
        department: runtime.departments.find((d) => d.code === 'zhkh')!.name,
        staff: runtime.staff.filter((s) => s.active).length,
        orlova: (await store.staff.byTelegramId(100012)).length,
        gazetteer: (await store.tenants.exportGazetteer('zarechensk')).length,
      });
    });
    try {
      await store.tenants.importFile(file, { now: NOW, batchSize: 1000 });
    } finally {
      restore();
    }
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const s of seen) expect(s).toEqual({ department: 'Отдел ЖКХ', staff: 10, orlova: 1, gazetteer: 17 });
    const runtime = await store.tenants.runtime('zarechensk');
    expect(runtime.departments.find((d) => d.code === 'zhkh')!.name).toBe('Отдел жилищно-коммунального хозяйства');
    expect(await store.tenants.exportGazetteer('zarechensk')).toHaveLength(2517);
  });

  it('writes a large gazetteer in batches with a progress line each, and a repeat writes nothing', async () => {
    const lines: string[] = [];
    const report = await store.tenants.importGazetteer('zarechensk', streets(5000, 'Луговое'), { now: NOW, batchSize: 1000, onProgress: (l) => lines.push(l) });
    expect(report.created).toHaveLength(5000);
    // Merged by key: the 17 entries the file leaves out stay.
    expect(report.unchanged).toHaveLength(0);
    // The new version is the 5,000 imported entries and the 17 kept: six batches.
    expect(lines).toEqual([1000, 2000, 3000, 4000, 5000, 5017].map((n) => `справочник мест: записано ${n} из 5017`));
    const again: string[] = [];
    const second = await store.tenants.importGazetteer('zarechensk', streets(5000, 'Луговое'), { now: NOW, batchSize: 1000, onProgress: (l) => again.push(l) });
    expect(second.unchanged).toHaveLength(5000);
    expect(again).toEqual([]);
    expect(await store.tenants.exportGazetteer('zarechensk')).toHaveLength(5017);
  });

  it('refuses to switch over a change made meanwhile, writing nothing of its own', async () => {
    const file = example();
    file.title = 'Новое название';
    const restore = failWrites('staff', async (_name, call) => {
      // Another admin's change lands while this import writes its staff.
      if (call === 1) await store.tenants.setProfileOverrides('zarechensk', { steps: { answer: { normal: { term: { kind: 'working-hours', minutes: 360 }, from: 'detected' } } } } as never);
    });
    file.staff = file.staff!.map((s) => (s.code === 'glava' ? { ...s, fullName: 'Белов Андрей Викторович (глава)' } : s));
    try {
      await expect(store.tenants.importFile(file, { now: NOW })).rejects.toBeInstanceOf(ConcurrentImportError);
    } finally {
      restore();
    }
    expect((await store.tenants.exportFile('zarechensk')).title).toBe('Администрация городского округа Зареченск');
    expect((await store.tenants.runtime('zarechensk')).staff.find((s) => s.code === 'glava')!.fullName).toBe('Белов Андрей Викторович');
  });
});

describe('a section import is checked as the whole tenant it leaves (point 5)', () => {
  beforeEach(freshTenant);

  async function rejected(run: Promise<unknown>): Promise<TenantRulesError> {
    const error = await run.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TenantRulesError);
    return error as TenantRulesError;
  }

  const staff = (): StaffEntry[] => example().staff!;

  it('refuses a staff list with one code twice', async () => {
    const list = [...staff(), { ...staff()[4]!, fullName: 'Орлова Мария (вторая)', telegramUserId: 100099 }];
    const error = await rejected(store.tenants.importStaff('zarechensk', list));
    expect(error.problems).toEqual([{ section: 'staff', origin: { source: 'file', index: 10 }, field: ['code'], message: 'сотрудник «orlova» уже описан выше' }]);
  });

  it('refuses one Telegram id for two people', async () => {
    const list = staff().map((s) => (s.code === 'sokolov' ? { ...s, telegramUserId: 100012 } : s));
    const error = await rejected(store.tenants.importStaff('zarechensk', list));
    expect(error.problems).toEqual([expect.objectContaining({ origin: { source: 'file', index: 5 }, field: ['telegramUserId'], message: 'этот id Telegram уже у другого сотрудника' })]);
  });

  it('refuses departments naming an executor who is not on the staff', async () => {
    const departments = example().departments!.map((d) => (d.code === 'roads' ? { ...d, executors: ['sokolov', 'ivanov'] } : d));
    const error = await rejected(store.tenants.importDepartments('zarechensk', departments));
    expect(error.problems).toEqual([{ section: 'departments', origin: { source: 'file', index: 1 }, field: ['executors', 1], message: 'нет сотрудника «ivanov» в разделе staff' }]);
  });

  it('refuses a staff list without any curator', async () => {
    const list = staff().map((s) => ({ ...s, roles: s.roles.filter((r) => r !== 'curator').concat(s.roles.length === 1 && s.roles[0] === 'curator' ? ['head'] : []) }));
    const error = await rejected(store.tenants.importStaff('zarechensk', list));
    expect(error.problems.map((p) => p.message)).toEqual(['нужен хотя бы один куратор (role curator): без него обращения некому распределять']);
  });

  it('refuses a staff list that leaves a stored department with an executor it removed, naming the stored department', async () => {
    const error = await rejected(store.tenants.importStaff('zarechensk', staff().filter((s) => s.code !== 'sokolov')));
    expect(error.problems).toEqual([{ section: 'departments', origin: { source: 'store', key: 'roads' }, field: ['executors', 0], message: 'нет сотрудника «sokolov» в разделе staff' }]);
    expect(error.message).toContain('отдел «roads» (загружен ранее).executors[0]: нет сотрудника «sokolov» в разделе staff');
  });

  it('writes nothing when it refuses', async () => {
    const before = await store.tenants.exportFile('zarechensk');
    await rejected(store.tenants.importStaff('zarechensk', [...staff(), staff()[0]!]));
    expect(await store.tenants.exportFile('zarechensk')).toEqual(before);
  });
});

describe('staff left out of an import lose access at once (point 6)', () => {
  const ORLOVA: Person = { id: 100012, first_name: 'Мария' };
  let telegram: FakeTelegram;

  beforeAll(() => {
    nock.disableNetConnect();
    telegram = new FakeTelegram();
    telegram.install();
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  afterEach(() => expect(telegram.problems).toEqual([]));
  beforeEach(freshTenant);

  it('deactivates a person the whole file leaves out: the bot refuses them, reports still name them', async () => {
    const bot = newBot(store, () => NOW);
    telegram.text(ORLOVA, '/start');
    await bot.pollOnce();
    expect(telegram.last(ORLOVA.id).text).toContain('Здравствуйте, Орлова Мария Андреевна!');
    expect(await store.staff.isActive('zarechensk', 'orlova')).toBe(true);

    const report = await store.tenants.importFile(withoutOrlova(example()), { now: NOW });
    expect(report.staff?.deactivated).toEqual(['orlova']);
    expect(report.staff?.changed).toEqual(['kuznetsov']);

    telegram.text(ORLOVA, '/start');
    await bot.pollOnce();
    expect(telegram.last(ORLOVA.id).text).toBe(`${REFUSAL}${ORLOVA.id}`);
    expect(await store.staff.isActive('zarechensk', 'orlova')).toBe(false);
    expect(await store.staff.member('zarechensk', 'orlova')).toEqual({ tenant: 'zarechensk', code: 'orlova', fullName: 'Орлова Мария Андреевна', roles: ['executor'], department: 'zhkh', active: false });
    // Kept for the record: the reports' directory and the routing data still have her, inactive.
    expect((await store.tenants.directory('zarechensk')).staff.get('orlova')?.fullName).toBe('Орлова Мария Андреевна');
    expect((await store.tenants.runtime('zarechensk')).staff.find((s) => s.code === 'orlova')).toMatchObject({ active: false });
    expect((await store.tenants.exportStaff('zarechensk')).find((s) => s.code === 'orlova')).toMatchObject({ active: false });
    // Notices no longer reach her.
    const recipients = await store.staff.recipients('zarechensk', { staff: 'orlova' }, [], NOW);
    expect(recipients).toEqual([]);
  });

  it('deactivates a person a staff section leaves out, and brings them back when a later list has them', async () => {
    const list = example().staff!;
    const report = await store.tenants.importStaff('zarechensk', list.filter((s) => s.code !== 'glava'));
    expect(report.deactivated).toEqual(['glava']);
    expect(await store.staff.byTelegramId(100003)).toEqual([]);
    expect(await store.staff.isActive('zarechensk', 'glava')).toBe(false);
    const back = await store.tenants.importStaff('zarechensk', list);
    expect(back.changed).toEqual(['glava']);
    expect(await store.staff.byTelegramId(100003)).toEqual([expect.objectContaining({ tenant: 'zarechensk', code: 'glava', roles: ['head'] })]);
  });
});
