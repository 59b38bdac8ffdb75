import { absenceAt, type StaffMember, type StaffRole } from './routing.js';

/**
 * Who sees which incident (issue 12 point 10; 004 [1.4], 152-ФЗ): the author's name and
 * profile are shown only with the incident, so only to those who work on it. Curators and
 * the head see their tenant's; an executor sees the incidents of their own department,
 * those held by them, and those of an absent colleague they stand in for (000 [5],
 * 001 [6]); other roles (an admin alone) see none: admins work in the CLI. One rule for the
 * staff bot and the web workplace.
 */
export interface Viewer {
  readonly code: string;
  readonly roles: readonly StaffRole[];
  readonly department: string | null;
}

export type Visibility =
  | { readonly kind: 'tenant' }
  | { readonly kind: 'limited'; readonly departments: readonly string[]; readonly staff: readonly string[] };

export interface SeenIncident {
  readonly departments: readonly string[];
  readonly assignee: string | null;
}

/** What the viewer may see, once per request: the inbox filters by it, the card checks it. Null: nothing. */
export function visibilityOf(viewer: Viewer, staff: readonly StaffMember[], now: Date): Visibility | null {
  if (viewer.roles.includes('curator') || viewer.roles.includes('head')) return { kind: 'tenant' };
  if (!viewer.roles.includes('executor')) return null;
  const standIn = staff.filter((s) => s.deputy === viewer.code && absenceAt(s, now) !== null).map((s) => s.code);
  return { kind: 'limited', departments: viewer.department ? [viewer.department] : [], staff: [viewer.code, ...standIn] };
}

export function isVisible(visibility: Visibility, incident: SeenIncident): boolean {
  if (visibility.kind === 'tenant') return true;
  if (incident.assignee !== null && visibility.staff.includes(incident.assignee)) return true;
  return incident.departments.some((d) => visibility.departments.includes(d));
}

/** Whether this person may see this incident now; `staff` is the tenant's (for who stands in for whom). */
export function canSee(viewer: Viewer, incident: SeenIncident, staff: readonly StaffMember[], now: Date): boolean {
  const visibility = visibilityOf(viewer, staff, now);
  return visibility !== null && isVisible(visibility, incident);
}
