import { WorkflowError, type Actor, type Command } from '../../workflow/incident-machine.js';
import { ConcurrentChangeError } from '../../store/errors.js';
import type { Store, StoredIncident, TenantRuntime } from '../../store/port.js';

/**
 * Scripted staff for end-to-end tests: each call advances every open incident of a
 * tenant by one step, as a curator and the executors would through the staff bot, so
 * the real workers (classifier, publisher) run in between. What each incident goes
 * through is chosen by its scenario.
 */
export type Scenario = 'answer' | 'returned-then-answer' | 'interim-then-final' | 'reject-by-curator';

const CURATOR: Actor = { kind: 'staff', code: 'petrova', roles: ['curator'] };

function executor(code: string): Actor {
  return { kind: 'staff', code, roles: ['executor'] };
}

/** The tenant's departments with their topics (the routing suggestion a curator follows). */
export type DepartmentTopics = ReadonlyArray<{ readonly code: string; readonly topics: readonly string[] }>;

function departmentFor(departments: DepartmentTopics, topic: string | null, avoid: readonly string[] = []): string {
  const byTopic = departments.find((d) => !avoid.includes(d.code) && topic !== null && d.topics.includes(topic));
  return byTopic?.code ?? departments.find((d) => !avoid.includes(d.code))!.code;
}

// Each text names its incident, so a test can tell every answer the sandbox received apart.
const answer = (n: number) => `Здравствуйте! По обращению № ${n} специалисты выехали на место 25 ноября, работы будут завершены до 28 ноября 2026 года. Спасибо за обращение.`;
const interim = (n: number) => `Здравствуйте! Обращение № ${n} передано специалистам, окончательный ответ будет дан до 4 декабря 2026 года.`;

export function nextCommand(incident: StoredIncident, scenario: Scenario, departments: DepartmentTopics): { command: Command; actor: Actor } | null {
  const returnedBefore = incident.history.some((h) => h.to === 'returned');
  const interimBefore = incident.drafts.some((d) => d.kind === 'interim');
  switch (incident.state) {
    case 'triage':
      if (scenario === 'reject-by-curator') return { command: { type: 'reject', reason: 'competence', comment: 'Вопрос федерального уровня' }, actor: CURATOR };
      return { command: { type: 'confirm-and-route', topic: incident.topic ?? 'другое', location: incident.location, importance: incident.importance, departments: [departmentFor(departments, incident.topic)] }, actor: CURATOR };
    case 'returned':
      return { command: { type: 'confirm-and-route', topic: incident.topic ?? 'другое', location: incident.location, importance: incident.importance, departments: [departmentFor(departments, incident.topic, incident.departments)] }, actor: CURATOR };
    case 'assigned':
      if (scenario === 'returned-then-answer' && !returnedBefore) return { command: { type: 'return-not-competent', comment: 'Вопрос относится к другому отделу' }, actor: executor(incident.assignee!) };
      return { command: { type: 'take' }, actor: executor(incident.assignee!) };
    case 'draft':
    case 'rework': {
      const kind = scenario === 'interim-then-final' && !interimBefore ? 'interim' : 'answer';
      return { command: { type: 'submit-draft', draft: { id: `d${incident.number}-${incident.drafts.length + 1}`, kind, text: kind === 'interim' ? interim(incident.number) : answer(incident.number) } }, actor: executor(incident.assignee!) };
    }
    case 'awaiting-final':
      return { command: { type: 'submit-draft', draft: { id: `d${incident.number}-${incident.drafts.length + 1}`, kind: 'answer', text: answer(incident.number) } }, actor: executor(incident.assignee!) };
    case 'review':
      return { command: { type: 'approve' }, actor: CURATOR };
    default:
      return null;
  }
}

/** One round over the tenant's incidents; returns how many commands were applied. */
export async function actOnce(store: Store, runtime: TenantRuntime, scenarioOf: (incident: StoredIncident) => Scenario, now: () => Date = () => new Date(), only: (incident: StoredIncident) => boolean = () => true): Promise<number> {
  const open = (await store.incidents.open({ tenant: runtime.tenant, states: ['triage', 'returned', 'assigned', 'draft', 'rework', 'review', 'awaiting-final'] }))
    .sort((a, b) => a.number - b.number);
  const departments = (await store.tenants.exportDepartments(runtime.tenant)).map((d) => ({ code: d.code, topics: d.topics }));
  let applied = 0;
  for (const incident of open.filter(only)) {
    let next = nextCommand(incident, scenarioOf(incident), departments);
    if (!next) continue;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await store.incidents.apply(runtime, incident.number, next.command, next.actor, now());
        applied++;
        break;
      } catch (error) {
        // 001 [19]: a repeat goes to the earlier incident's department, as the machine says.
        if (error instanceof WorkflowError && error.code === 'repeat-department' && next.command.type === 'confirm-and-route') {
          next = { ...next, command: { ...next.command, departments: [...(error.details.earlierDepartments as string[])] } };
          continue;
        }
        // Another round (or a worker) moved it first: the next round sees the new state.
        if (!(error instanceof ConcurrentChangeError) && !(error instanceof WorkflowError && error.code === 'stale')) throw error;
        break;
      }
    }
  }
  return applied;
}
