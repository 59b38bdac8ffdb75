import { SHIPPED_CALENDAR } from '../workflow/calendar.js';
import { resolveProfile } from '../workflow/profiles.js';
import type { StaffMember, StaffRole } from '../workflow/routing.js';
import { loadCalendarYears } from './calendar-years.js';
import { sectionRows, versionsOf } from './config-versions.js';
import type { Db } from './db.js';
import { tenantModel } from './models/tenant.js';
import { UnknownTenantError } from './errors.js';
import type { Store, TenantRuntime } from './port.js';

export type { TenantRuntime };

type StaffRow = { code: string; fullName: string; roles: string[]; department?: string | null; deputy?: string | null; absences?: Array<{ from: Date; to: Date; reason: string }>; active?: boolean };
type DepartmentRow = { code: string; name: string; executors?: string[] };

/** The tenant's active configuration: one read of the tenant, then its active staff and departments (store/config-versions.ts). */
export async function loadTenantRuntime(db: Db, tenant: string): Promise<TenantRuntime> {
  const t = await tenantModel(db.connection).findOne({ name: tenant }).lean().exec();
  if (!t) throw new UnknownTenantError(tenant);
  const versions = versionsOf(t as never);
  const [staff, departments, years] = await Promise.all([
    sectionRows<StaffRow>(db, tenant, 'staff', versions.staff),
    sectionRows<DepartmentRow>(db, tenant, 'departments', versions.departments),
    loadCalendarYears(db),
  ]);
  return {
    tenant,
    title: t.title,
    timeZone: t.timeZone,
    profile: resolveProfile(t.regulationProfile?.id ?? '', { overrides: t.regulationProfile?.overrides ?? {}, ...(t.officeHours ? { officeHours: t.officeHours } : {}), timeZone: t.timeZone }),
    // Years an admin imported take precedence over the shipped ones.
    calendar: years.length > 0 ? SHIPPED_CALENDAR.with(years) : SHIPPED_CALENDAR,
    staff: staff.map((s) => ({
      code: s.code, fullName: s.fullName, roles: s.roles as StaffRole[], department: s.department ?? null, deputy: s.deputy ?? null,
      absences: (s.absences ?? []).map((a) => ({ from: a.from, to: a.to, reason: a.reason })) as StaffMember['absences'], active: s.active !== false,
    })),
    departments: departments.map((d) => ({ code: d.code, name: d.name, executors: d.executors ?? [] })),
  };
}

/** Caches runtimes for a worker, refreshed after `maxAgeMs` so admin changes arrive. */
export class TenantRuntimeCache {
  private readonly entries = new Map<string, { runtime: TenantRuntime; loadedAt: number }>();
  constructor(
    private readonly store: Pick<Store, 'tenants'>,
    private readonly maxAgeMs = 60000,
  ) {}

  async get(tenant: string, nowMs = Date.now()): Promise<TenantRuntime> {
    const cached = this.entries.get(tenant);
    if (cached && nowMs - cached.loadedAt < this.maxAgeMs) return cached.runtime;
    const runtime = await this.store.tenants.runtime(tenant);
    this.entries.set(tenant, { runtime, loadedAt: nowMs });
    return runtime;
  }
}
