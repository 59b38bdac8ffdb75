// Issue 12 point 6 as the web workplace meets it: its account lookups (store/web) read the
// tenant's active staff version, so a person an import left out is inactive there at once
// (the workplace ends their session at the next request) and is offered no sign-in by
// Telegram id — whichever older version of the staff rows the store still keeps.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { tenantFileSchema, type TenantFile } from '../../config/tenant-schema.js';
import type { Store } from '../../store/port.js';
import { openWebStore } from '../../store/web/index.js';
import type { WebStore } from '../../web/ports.js';
import { dropTestStore, openTestStore } from '../support/store.js';

const example = (): TenantFile => tenantFileSchema.parse(parse(fs.readFileSync('examples/zarechensk.yaml', 'utf8')));
const NOW = new Date('2026-11-24T07:00:00Z');

describe('the workplace sees the active staff version', () => {
  let store: Store;
  let web: WebStore & { stop(): void };

  beforeAll(async () => {
    store = await openTestStore('web_access');
    await store.tenants.importFile(example(), { now: NOW });
    web = await openWebStore(store);
  }, 60_000);

  afterAll(async () => {
    web?.stop();
    await dropTestStore(store);
  }, 60_000);

  it('an import that leaves orlova out makes her inactive and unknown by Telegram id; a later list brings her back', async () => {
    expect(await web.account({ tenant: 'zarechensk', code: 'orlova' })).toMatchObject({ active: true, department: 'zhkh', roles: ['executor'] });
    const file = example();
    const staff = file.staff!;
    const report = await store.tenants.importFile({
      ...file,
      staff: staff.filter((s) => s.code !== 'orlova').map((s) => (s.deputy === 'orlova' ? { ...s, deputy: null } : s)),
      departments: file.departments!.map((d) => ({ ...d, executors: d.executors.filter((e) => e !== 'orlova') })),
    }, { now: NOW });
    expect(report.staff?.deactivated).toEqual(['orlova']);
    expect(await web.account({ tenant: 'zarechensk', code: 'orlova' })).toMatchObject({ active: false });
    expect(await web.accountsByTelegramId(100012)).toEqual([]);
    // A renamed person is shown as the active version has them.
    await store.tenants.importFile({ ...file, staff: staff.map((s) => (s.code === 'orlova' ? { ...s, fullName: 'Орлова-Белова Мария Андреевна' } : s)) }, { now: NOW });
    expect(await web.account({ tenant: 'zarechensk', code: 'orlova' })).toMatchObject({ active: true, fullName: 'Орлова-Белова Мария Андреевна' });
    expect((await web.accountsByTelegramId(100012)).map((a) => a.code)).toEqual(['orlova']);
    expect(await web.account({ tenant: 'zarechensk', code: 'nobody' })).toBeNull();
  });
});
