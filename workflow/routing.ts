// Who gets an incident in a department: an executor present at work, in the department's
// order, or a deputy standing in for an absent executor (000 [5], 001 [6]). Pure: staff,
// departments and `now` come in as data.
//
// Readings:
// - Executors present at work come first, in the department's order; deputies only after
//   them. A deputy stands in «в период временного отсутствия» of the executors (000 [5]);
//   while another executor of the department is at work the department's duty is covered
//   without drawing in someone from outside it.
// - One level of deputies: the regulations name one substitute per executor, and a chain
//   of deputies could loop.
// - An absence covers [from, to): the administrator records `to` as the instant the person
//   is back (the start of the day after the last day away).

export type StaffRole = 'curator' | 'executor' | 'admin' | 'head';
export type AbsenceReason = 'illness' | 'leave' | 'travel' | 'study' | 'other';

export const ABSENCE_LABELS: Readonly<Record<AbsenceReason, string>> = {
  illness: 'болезнь',
  leave: 'отпуск',
  travel: 'командировка',
  study: 'учёба',
  other: 'иная причина',
};

export interface Absence {
  readonly from: Date;
  readonly to: Date;
  readonly reason: AbsenceReason;
}

/** The fields of `store/models/staff.ts` routing reads. */
export interface StaffMember {
  readonly code: string;
  readonly fullName: string;
  readonly roles: readonly StaffRole[];
  readonly department: string | null;
  readonly deputy: string | null;
  readonly absences: readonly Absence[];
  readonly active: boolean;
}

/** The fields of `store/models/department.ts` routing reads. */
export interface DepartmentEntry {
  readonly code: string;
  readonly name: string;
  /** Staff codes in the order routing picks them. */
  readonly executors: readonly string[];
}

export type Unavailability =
  | { readonly kind: 'absent'; readonly reason: AbsenceReason; readonly until: Date }
  | { readonly kind: 'inactive' }
  | { readonly kind: 'not-executor' }
  | { readonly kind: 'unknown' };

export interface Candidate {
  readonly code: string;
  readonly fullName: string | null;
  /** Set when this person is a deputy: the executor they would stand in for. */
  readonly deputyFor?: string;
  readonly unavailable: Unavailability;
}

export type RouteOutcome =
  | {
      readonly kind: 'assigned';
      readonly department: string;
      readonly assignee: string;
      /** The absent executor the deputy stands in for, with the absence. */
      readonly standingInFor: { readonly code: string; readonly reason: AbsenceReason; readonly until: Date } | null;
      /** Russian, for the history entry and the curator's card. */
      readonly why: string;
    }
  | {
      readonly kind: 'nobody';
      readonly department: string;
      /** Everyone routing looked at and why they could not take it. */
      readonly tried: readonly Candidate[];
      /** Russian, for the curator: who is away and until when. */
      readonly message: string;
    }
  | { readonly kind: 'unknown-department'; readonly department: string; readonly message: string };

export function absenceAt(member: StaffMember, now: Date): Absence | null {
  const t = now.getTime();
  return member.absences.find((a) => a.from.getTime() <= t && t < a.to.getTime()) ?? null;
}

function availability(member: StaffMember | undefined, now: Date): Unavailability | null {
  if (!member) return { kind: 'unknown' };
  if (!member.active) return { kind: 'inactive' };
  if (!member.roles.includes('executor')) return { kind: 'not-executor' };
  const absence = absenceAt(member, now);
  if (absence) return { kind: 'absent', reason: absence.reason, until: absence.to };
  return null;
}

/** The last day of an absence ending at `to` (exclusive), as a date in the tenant's zone: «по 05.12.2025». */
function lastDayRu(to: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(to.getTime() - 1));
}

function describe(c: Candidate, timeZone: string): string {
  const who = c.fullName ?? c.code;
  const role = c.deputyFor ? ` (заместитель ${c.deputyFor})` : '';
  switch (c.unavailable.kind) {
    case 'absent':
      return `${who}${role} — ${ABSENCE_LABELS[c.unavailable.reason]} по ${lastDayRu(c.unavailable.until, timeZone)}`;
    case 'inactive':
      return `${who}${role} — не работает в системе`;
    case 'not-executor':
      return `${who}${role} — не является исполнителем`;
    case 'unknown':
      return `${c.code}${role} — нет в списке сотрудников`;
  }
}

/**
 * The person who gets the incident in `department` at `now`. `exclude` lists staff who
 * must not get it again (the executor who has just returned it as not competent).
 */
export function route(input: {
  department: string;
  departments: readonly DepartmentEntry[];
  staff: readonly StaffMember[];
  now: Date;
  exclude?: readonly string[];
  /** The tenant's IANA zone, for the dates in the messages. */
  timeZone?: string;
}): RouteOutcome {
  const timeZone = input.timeZone ?? 'UTC';
  const dept = input.departments.find((d) => d.code === input.department);
  if (!dept) {
    return { kind: 'unknown-department', department: input.department, message: `Подразделение «${input.department}» не найдено в справочнике` };
  }
  const byCode = new Map(input.staff.map((s) => [s.code, s]));
  const excluded = new Set(input.exclude ?? []);
  const tried: Candidate[] = [];
  const absent: Array<{ code: string; reason: AbsenceReason; until: Date }> = [];

  for (const code of dept.executors) {
    if (excluded.has(code)) continue;
    const member = byCode.get(code);
    const unavailable = availability(member, input.now);
    if (!unavailable) {
      return { kind: 'assigned', department: dept.code, assignee: code, standingInFor: null, why: `Исполнитель подразделения «${dept.name}»: ${member?.fullName ?? code}` };
    }
    tried.push({ code, fullName: member?.fullName ?? null, unavailable });
    if (unavailable.kind === 'absent') absent.push({ code, reason: unavailable.reason, until: unavailable.until });
  }

  // 000 [5], 001 [6]: the deputy of an absent executor, in the department's order.
  for (const away of absent) {
    const deputyCode = byCode.get(away.code)?.deputy;
    if (!deputyCode || excluded.has(deputyCode)) continue;
    const deputy = byCode.get(deputyCode);
    const unavailable = availability(deputy, input.now);
    if (!unavailable) {
      const awayName = byCode.get(away.code)?.fullName ?? away.code;
      return {
        kind: 'assigned',
        department: dept.code,
        assignee: deputyCode,
        standingInFor: away,
        why: `Заместитель ${deputy?.fullName ?? deputyCode} на время отсутствия исполнителя ${awayName} (${ABSENCE_LABELS[away.reason]} по ${lastDayRu(away.until, timeZone)})`,
      };
    }
    tried.push({ code: deputyCode, fullName: deputy?.fullName ?? null, deputyFor: away.code, unavailable });
  }

  const listed = tried.length > 0 ? `: ${tried.map((c) => describe(c, timeZone)).join('; ')}` : ': исполнители не назначены';
  return {
    kind: 'nobody',
    department: dept.code,
    tried,
    message: `В подразделении «${dept.name}» сейчас нет доступного исполнителя${listed}. Выберите исполнителя вручную или другое подразделение.`,
  };
}
