import { SHIPPED_CALENDAR, type ProductionCalendar } from '../workflow/calendar.js';
import { resolveProfile, type RegulationProfile } from '../workflow/profiles.js';
import type { DepartmentEntry, StaffMember, StaffRole } from '../workflow/routing.js';
import { loadCalendarYears } from './calendar-years.js';
import type { Store } from './connection.js';
import { departmentModel } from './models/department.js';
import { staffModel } from './models/staff.js';
import { tenantModel } from './models/tenant.js';
import { UnknownTenantError } from './tenant-config.js';

/** What the workflow needs to decide for one tenant: its profile, calendar, staff and departments. */
export interface TenantRuntime {
  readonly tenant: string;
  readonly title: string;
  readonly timeZone: string;
  readonly profile: RegulationProfile;
  readonly calendar: ProductionCalendar;
  readonly staff: StaffMember[];
  readonly departments: DepartmentEntry[];
}

export async function loadTenantRuntime(store: Store, tenant: string): Promise<TenantRuntime> {
  const t = await tenantModel(store.connection).findOne({ name: tenant }).lean().exec();
  if (!t) throw new UnknownTenantError(tenant);
  const [staff, departments, years] = await Promise.all([
    staffModel(store.connection).find({ tenant }).lean().exec(),
    departmentModel(store.connection).find({ tenant }).lean().exec(),
    loadCalendarYears(store),
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
      absences: s.absences.map((a) => ({ from: a.from, to: a.to, reason: a.reason })) as StaffMember['absences'], active: s.active,
    })),
    departments: departments.map((d) => ({ code: d.code, name: d.name, executors: d.executors })),
  };
}

/** Caches runtimes for a worker, refreshed after `maxAgeMs` so admin changes arrive. */
export class TenantRuntimeCache {
  private readonly entries = new Map<string, { runtime: TenantRuntime; loadedAt: number }>();
  constructor(
    private readonly store: Store,
    private readonly maxAgeMs = 60000,
  ) {}

  async get(tenant: string, nowMs = Date.now()): Promise<TenantRuntime> {
    const cached = this.entries.get(tenant);
    if (cached && nowMs - cached.loadedAt < this.maxAgeMs) return cached.runtime;
    const runtime = await loadTenantRuntime(this.store, tenant);
    this.entries.set(tenant, { runtime, loadedAt: nowMs });
    return runtime;
  }
}
