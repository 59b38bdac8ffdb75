import { absenceAt, type StaffMember } from '../workflow/routing.js';
import type { StaffAccount, Visibility } from './ports.js';

/**
 * Who sees which incident (issue 12 point 10; 004 [1.4], 152-ФЗ): curators and the head
 * see their tenant's; an executor sees the incidents of their own department, those held
 * by them, and those of an absent colleague they stand in for (000 [5], 001 [6]). The
 * author's name and profile are shown only with the incident, so only to those. Other
 * roles (an admin alone) see none: admins work in the CLI.
 */
export function visibilityOf(account: StaffAccount, staff: readonly StaffMember[], now: Date): Visibility | null {
  if (account.roles.includes('curator') || account.roles.includes('head')) return { kind: 'tenant' };
  if (!account.roles.includes('executor')) return null;
  const standIn = staff.filter((s) => s.deputy === account.code && absenceAt(s, now) !== null).map((s) => s.code);
  return { kind: 'limited', departments: account.department ? [account.department] : [], staff: [account.code, ...standIn] };
}

export function isVisible(visibility: Visibility, incident: { readonly departments: readonly string[]; readonly assignee: string | null }): boolean {
  if (visibility.kind === 'tenant') return true;
  if (incident.assignee !== null && visibility.staff.includes(incident.assignee)) return true;
  return incident.departments.some((d) => visibility.departments.includes(d));
}
