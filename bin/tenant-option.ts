import type { Store } from '../store/port.js';
import { CliError } from './cli-error.js';

/** --tenant, or the only tenant of a deployment that has one. */
export async function tenantOrOnly(store: Store, tenant: string | undefined): Promise<string> {
  if (tenant) return tenant;
  const all = await store.tenants.list();
  if (all.length === 1) return all[0]!.name;
  throw new CliError(all.length === 0 ? 'нет ни одного муниципалитета: otklik tenant import FILE' : `укажите --tenant: ${all.map((t) => t.name).join(', ')}`);
}
