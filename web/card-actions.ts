import { availableCommands } from '../workflow/incident-machine.js';
import { absenceAt } from '../workflow/routing.js';
import { isWebCommand, type WebCommandType } from './commands.js';
import type { CardIncident, StaffAccount, TenantContext } from './ports.js';

/**
 * The forms a card offers this person: the state machine's commands for their roles in
 * this state (availableCommands), less those whose own condition is plainly unmet (no
 * repeat link to remove, no interim draft to date). workflow/ decides each anyway; this
 * only keeps the card from offering what would surely be refused.
 */
export function actionsFor(account: StaffAccount, incident: CardIncident, tenant: TenantContext, now: Date): WebCommandType[] {
  const out: WebCommandType[] = [];
  if (account.roles.includes('curator')) out.push(...availableCommands(incident.state, 'curator').filter(isWebCommand));
  if (account.roles.includes('executor') && holds(account, incident, tenant, now)) out.push(...availableCommands(incident.state, 'executor').filter(isWebCommand));
  const last = incident.drafts[incident.drafts.length - 1];
  return out.filter((c) => {
    switch (c) {
      case 'link-repeat':
        return incident.repeatOf === null;
      case 'unlink-repeat':
        return incident.repeatOf !== null;
      case 'set-promised-date':
        return last?.kind === 'interim' && (incident.state === 'review' ? last.reviewedAt === null : last.decision === 'approved');
      case 'resolve-delivery':
        return incident.publication.manualCheck != null;
      default:
        return true;
    }
  });
}

/** The executor the incident is handed to, or their deputy while they are away (000 [5], 001 [6]). */
export function holds(account: StaffAccount, incident: CardIncident, tenant: TenantContext, now: Date): boolean {
  if (incident.assignee === account.code) return true;
  const assignee = tenant.staff.find((s) => s.code === incident.assignee);
  return assignee !== undefined && assignee.deputy === account.code && absenceAt(assignee, now) !== null;
}
