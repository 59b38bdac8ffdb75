// A database written before configuration sections had versions: opened by this code, it
// reads as before, the staff bot finds its staff, and the next import switches versions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openStore, type Store } from '../../store/connection.js';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { dropTestStore, rawDb, testStoreUri } from '../support/store.js';

let store: Store;
const dbName = `config_migration_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  // As the previous release left it, written by the driver alone (no store of this version
  // has touched the database): no versions, unique indexes on the tenant and code alone.
  const client = await mongoose.mongo.MongoClient.connect(testStoreUri());
  try {
    const db = client.db(dbName);
    for (const [name, key] of [['departments', { tenant: 1, code: 1 }], ['staff', { tenant: 1, code: 1 }], ['keywordLists', { tenant: 1, name: 1 }], ['gazetteer', { tenant: 1, kind: 1, settlement: 1, name: 1 }]] as const) {
      await db.collection(name).createIndex(key, { unique: true });
    }
    await db.collection('tenants').insertOne({
      name: 'staraya', title: 'Администрация посёлка Старая', timeZone: 'Europe/Moscow', regulationProfile: { id: 'krymsk', overrides: {} }, officeHours: null, topics: [], accounts: [],
    });
    await db.collection('departments').insertOne({ tenant: 'staraya', code: 'zhkh', name: 'Отдел ЖКХ', topics: [], executors: ['ivanov'] });
    await db.collection('staff').insertMany([
      { tenant: 'staraya', code: 'petrov', fullName: 'Петров Пётр', roles: ['curator'], department: null, telegramUserId: 300001, deputy: null, absences: [], active: true },
      { tenant: 'staraya', code: 'ivanov', fullName: 'Иванов Иван', roles: ['executor'], department: 'zhkh', telegramUserId: 300002, deputy: null, absences: [], active: true },
    ]);
    await db.collection('gazetteer').insertOne({ tenant: 'staraya', kind: 'settlement', name: 'Старая', settlement: '', aliases: [] });
  } finally {
    await client.close();
  }
  store = await openStore({ uri: testStoreUri(), dbName, connectTimeoutMs: 10000 });
});

afterAll(async () => {
  await dropTestStore(store);
});

describe('opening a database written before versions', () => {
  it('reads the old rows as version 0, and the bot finds the staff', async () => {
    // A second process opening it at the same time finds the work done.
    const reopened = await openStore({ uri: testStoreUri(), dbName, connectTimeoutMs: 10000 });
    try {
      const runtime = await reopened.tenants.runtime('staraya');
      expect(runtime.staff.map((s) => s.code).sort()).toEqual(['ivanov', 'petrov']);
      expect(runtime.departments).toEqual([{ code: 'zhkh', name: 'Отдел ЖКХ', executors: ['ivanov'] }]);
      expect(await reopened.staff.byTelegramId(300002)).toEqual([{ tenant: 'staraya', code: 'ivanov', fullName: 'Иванов Иван', roles: ['executor'], telegramUserId: 300002 }]);
      expect((await reopened.classifier.forTenant('staraya'))).toBeDefined();
      const indexes = (await rawDb(store).collection('staff').indexes()).map((i) => i.name);
      expect(indexes).not.toContain('tenant_1_code_1');
      expect(indexes).toContain('tenant_1_version_1_code_1');
    } finally {
      await reopened.close();
    }
  });

  it('lets the next import replace a section with a new version', async () => {
    const report = await store.tenants.importStaff('staraya', [
      { code: 'petrov', fullName: 'Петров Пётр Петрович', roles: ['curator'], department: null, telegramUserId: 300001, deputy: null },
      { code: 'ivanov', fullName: 'Иванов Иван', roles: ['executor'], department: 'zhkh', telegramUserId: 300002, deputy: null },
    ]);
    expect(report.changed).toEqual(['petrov']);
    expect((await store.tenants.runtime('staraya')).staff.find((s) => s.code === 'petrov')?.fullName).toBe('Петров Пётр Петрович');
  });
});
