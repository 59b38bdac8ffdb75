// One line of `otklik deadline`: a request validated field by field, answered with the
// due time in the tenant's offset or with an error that names the field. Pure: the caller
// passes the calendar and, for a "tenant" line, that tenant's regulation settings.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { CalendarYearMissingError, type ProductionCalendar } from './calendar.js';
import { StepNotSetError, clockFor, stepDueDetail, type ProvisionalBasis } from './deadline-plan.js';
import { ProfileError, STEPS, resolveProfile } from './profiles.js';
import { NoWorkingTimeError } from './terms.js';

const instant = z
  .string()
  .refine((s) => /(Z|[+-]\d{2}:?\d{2})$/.test(s) && DateTime.fromISO(s, { setZone: true }).isValid, {
    message: 'expected an ISO 8601 instant with an offset, e.g. 2025-11-28T15:00:00+03:00',
  });

export const deadlineRequestSchema = z
  .object({
    profile: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    step: z.enum(STEPS),
    importance: z.enum(['normal', 'high']).default('normal'),
    from: instant,
  })
  .strict()
  .refine((r) => r.profile !== undefined || r.tenant !== undefined, { message: 'required (or "tenant")', path: ['profile'] });
export type DeadlineRequest = z.output<typeof deadlineRequestSchema>;

/** What a stored tenant contributes: its profile id and overrides, office hours, time zone. */
export interface TenantRegulation {
  name: string;
  regulationProfile: { id: string; overrides?: unknown };
  officeHours?: unknown;
  timeZone: string;
}

/** `provisional`: the due time rests on a year whose calendar is not loaded (ТК РФ ст. 112 alone). */
export type DeadlineAnswer = { due: string; provisional?: ProvisionalBasis } | { error: string };

export function parseDeadlineRequest(raw: unknown): DeadlineRequest | { error: string } {
  const parsed = deadlineRequestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'line';
  return { error: `${field}: ${issue?.message ?? 'invalid'}` };
}

export function answerDeadlineRequest(
  request: DeadlineRequest,
  calendar: ProductionCalendar,
  tenant?: TenantRegulation,
): DeadlineAnswer {
  try {
    if (request.tenant !== undefined && tenant === undefined) return { error: `tenant: unknown tenant "${request.tenant}"` };
    if (tenant && request.profile !== undefined && request.profile !== tenant.regulationProfile.id)
      return { error: `profile: tenant "${tenant.name}" works by "${tenant.regulationProfile.id}", not "${request.profile}"` };
    const profile = tenant
      ? resolveProfile(tenant.regulationProfile.id, {
          overrides: tenant.regulationProfile.overrides,
          ...(tenant.officeHours !== undefined && tenant.officeHours !== null ? { officeHours: tenant.officeHours } : {}),
          timeZone: tenant.timeZone,
        })
      : resolveProfile(request.profile ?? '');
    let clock;
    try {
      clock = clockFor(profile, calendar);
    } catch (error) {
      return { error: `timeZone: ${error instanceof Error ? error.message : String(error)}` };
    }
    const fromMs = DateTime.fromISO(request.from, { setZone: true }).toMillis();
    const { dueMs, provisional } = stepDueDetail(clock, profile, request.step, request.importance, fromMs);
    return { due: clock.format(dueMs), ...(provisional ? { provisional } : {}) };
  } catch (error) {
    if (error instanceof ProfileError) return { error: error.message };
    if (error instanceof StepNotSetError) return { error: `step: ${error.message}` };
    if (error instanceof CalendarYearMissingError || error instanceof NoWorkingTimeError) return { error: `from: ${error.message}` };
    throw error;
  }
}
