import { VERSIONED_SECTIONS, versionsOf } from './config-versions.js';
import { collection, type Db } from './db.js';

/**
 * Brings a database written before sections had versions up to date, on every open (it is
 * a look at four index lists when there is nothing to do): rows without a version become
 * version 0, which is what a tenant without versions reads; the unique indexes that had no
 * version are dropped (two versions of one code must coexist during an import); a tenant
 * without its Telegram directory gets one from its staff. Idempotent, and safe when several
 * processes open the store at once.
 */
const OLD_UNIQUE: Record<(typeof VERSIONED_SECTIONS)[number], string> = {
  departments: 'tenant_1_code_1',
  staff: 'tenant_1_code_1',
  keywordLists: 'tenant_1_name_1',
  gazetteer: 'tenant_1_kind_1_settlement_1_name_1',
};

export async function migrateConfigVersions(db: Db): Promise<{ sections: string[]; tenants: number }> {
  const migrated: string[] = [];
  for (const section of VERSIONED_SECTIONS) {
    const rows = collection(db, section);
    const indexes = await rows.indexes();
    if (!indexes.some((i) => i.name === OLD_UNIQUE[section])) continue;
    await rows.updateMany({ version: { $exists: false } }, { $set: { version: 0 } });
    await rows.dropIndex(OLD_UNIQUE[section]).catch((error: { codeName?: string; code?: number }) => {
      // Another process dropped it first.
      if (error.codeName !== 'IndexNotFound' && error.code !== 27) throw error;
    });
    migrated.push(section);
  }
  let tenants = 0;
  for (const t of await collection(db, 'tenants').find({ telegramStaff: { $exists: false } }, { projection: { name: 1, versions: 1 } }).toArray()) {
    const staff = await collection(db, 'staff').find({ tenant: t.name, version: versionsOf(t as never).staff }, { projection: { code: 1, telegramUserId: 1, active: 1 } }).toArray();
    const directory: Record<string, string> = {};
    for (const s of staff) if (s.active !== false && typeof s.telegramUserId === 'number') directory[String(s.telegramUserId)] = String(s.code);
    await collection(db, 'tenants').updateOne({ _id: t._id, telegramStaff: { $exists: false } }, { $set: { telegramStaff: directory } });
    tenants += 1;
  }
  return { sections: migrated, tenants };
}
