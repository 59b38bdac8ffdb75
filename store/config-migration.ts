import { VERSIONED_SECTIONS, versionsOf } from './config-versions.js';
import { collection, isDuplicateKey, type Db } from './db.js';

/**
 * Brings a database written before sections had versions up to date, once (a marker in
 * `migrations` says it is done; every later open reads only that): rows without a version
 * become version 0, which is what a tenant without versions reads; the unique indexes that
 * had no version are dropped (two versions of one code must coexist during an import); a
 * tenant without its Telegram directory gets one from its staff. Idempotent, so two
 * processes opening the store at once may both run it.
 *
 * The old indexes are dropped by name whether or not they are listed: mongo-java-server was
 * seen to leave one out of `listIndexes` after new indexes were built beside it, while it
 * still refused duplicates.
 */
const MARKER = 'config-versions';
const OLD_UNIQUE: Record<(typeof VERSIONED_SECTIONS)[number], string> = {
  departments: 'tenant_1_code_1',
  staff: 'tenant_1_code_1',
  keywordLists: 'tenant_1_name_1',
  gazetteer: 'tenant_1_kind_1_settlement_1_name_1',
};

function indexMissing(error: { codeName?: string; code?: number }): boolean {
  return error.codeName === 'IndexNotFound' || error.code === 27;
}

export async function migrateConfigVersions(db: Db): Promise<{ migrated: boolean; tenants: number }> {
  const migrations = collection<{ _id: string; at: Date }>(db, 'migrations');
  if (await migrations.findOne({ _id: MARKER })) return { migrated: false, tenants: 0 };
  for (const section of VERSIONED_SECTIONS) {
    const rows = collection(db, section);
    await rows.dropIndex(OLD_UNIQUE[section]).catch((error: { codeName?: string; code?: number }) => {
      if (!indexMissing(error)) throw error;
    });
    await rows.updateMany({ version: { $exists: false } }, { $set: { version: 0 } });
  }
  let tenants = 0;
  for (const t of await collection(db, 'tenants').find({ telegramStaff: { $exists: false } }, { projection: { name: 1, versions: 1 } }).toArray()) {
    const staff = await collection(db, 'staff').find({ tenant: t.name, version: versionsOf(t as never).staff }, { projection: { code: 1, telegramUserId: 1, active: 1 } }).toArray();
    const directory: Record<string, string> = {};
    for (const s of staff) if (s.active !== false && typeof s.telegramUserId === 'number') directory[String(s.telegramUserId)] = String(s.code);
    await collection(db, 'tenants').updateOne({ _id: t._id, telegramStaff: { $exists: false } }, { $set: { telegramStaff: directory } });
    tenants += 1;
  }
  await collection(db, 'tenants').updateMany({ revision: { $exists: false } }, { $set: { revision: 0 } });
  await collection(db, 'tenants').updateMany({ versions: { $exists: false } }, { $set: { versions: { departments: 0, staff: 0, keywordLists: 0, gazetteer: 0 } } });
  await migrations.insertOne({ _id: MARKER, at: new Date() }).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
  return { migrated: true, tenants };
}
