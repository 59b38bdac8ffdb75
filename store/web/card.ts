import type { StoredVerdict } from '../../classifiers/verdict.js';
import { IncidentUnavailableError, StaleCardError, type Applied, type ApplyRequest, type CardIncident, type IncidentCard } from '../../web/ports.js';
import { WorkflowError } from '../../workflow/incident-machine.js';
import { ConcurrentChangeError, IncidentNotFoundError } from '../errors.js';
import type { Store, StoredIncident } from '../port.js';
import type { TenantRuntimeCache } from '../tenant-runtime.js';

/** The incident card and its commands, on the port's incidents.apply: the staff bot's path. */

function errorText(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return error;
  const e = error as { description?: unknown; message?: unknown; code?: unknown };
  const text = typeof e.description === 'string' ? e.description : typeof e.message === 'string' ? e.message : JSON.stringify(error);
  return e.code !== undefined ? `${String(e.code)}: ${text}` : text;
}

export function toCardIncident(i: StoredIncident): CardIncident {
  const publication = i.publication as StoredIncident['publication'] & { publicInterest?: boolean; manualCheck?: { at: Date; reason: string } | null };
  const attempts = (publication.attempts ?? []) as unknown as Array<{ channel: string; startedAt: Date; outcome?: string | null; error?: unknown }>;
  return {
    number: i.number, state: i.state, topic: i.topic ?? null, location: i.location ?? null, importance: i.importance ?? 'normal',
    repeatOf: i.repeatOf ?? null, departments: [...(i.departments ?? [])], assignee: i.assignee ?? null, drafts: i.drafts ?? [],
    deadlines: i.deadlines ?? [], nextDueAt: i.nextDueAt ?? null, history: i.history ?? [], detectedAt: i.detectedAt,
    postedAt: i.postedAt ?? null, departmentIndex: i.departmentIndex ?? 0, rejection: i.rejection ?? null, appeal: i.appeal ?? null,
    tenant: i.tenant, network: i.network, verdict: (i.verdict ?? null) as StoredVerdict | null, version: (i.history ?? []).length,
    publication: {
      outcome: publication.outcome ?? null, outcomeLabel: publication.outcomeLabel ?? null,
      publicInterest: publication.publicInterest === true, manualCheck: publication.manualCheck ?? null,
      attempts: attempts.map((a) => ({ channel: a.channel, startedAt: a.startedAt, outcome: a.outcome ?? null, error: errorText(a.error) })),
    },
  };
}

export async function loadCard(store: Store, tenant: string, number: number): Promise<IncidentCard | null> {
  const loaded = await store.incidents.withMessage(tenant, number);
  if (!loaded) return null;
  const { incident, message } = loaded;
  const earlier = await store.incidents.earlier(tenant, incident.repeatOf ?? null);
  return {
    incident: toCardIncident(incident),
    message: message
      ? {
          text: message.text, network: message.network, url: message.url, postedAt: message.postedAt, attachments: message.attachments,
          author: { id: message.authorId, name: message.authorName, profileUrl: message.authorProfileUrl, anonymous: message.anonymous },
        }
      : null,
    earlier: earlier ? { number: earlier.number, answer: earlier.answer, departments: earlier.departments } : null,
  };
}

/**
 * As the staff bot's runOnCard: refused if the incident changed since the form was drawn
 * (state or history); the store's fence catches a change between the read and the write.
 * A fence that failed only because the deadline watcher bumped the revision (the history
 * did not grow) is decided once more on the incident as it is now.
 */
export async function applyCommand(store: Store, runtimes: TenantRuntimeCache, req: ApplyRequest): Promise<Applied> {
  const runtime = await runtimes.get(req.tenant, req.now.getTime());
  const unchanged = async (): Promise<void> => {
    const current = await store.incidents.get(req.tenant, req.number);
    if (!current) throw new IncidentUnavailableError(req.number);
    if (current.state !== req.seen.state || current.history.length !== req.seen.version) throw new StaleCardError(req.number, current.state);
  };
  await unchanged();
  const command = { ...req.command, expectedState: req.seen.state };
  const run = () => store.incidents.apply(runtime, req.number, command, req.actor, req.now);
  let result: Awaited<ReturnType<typeof run>>;
  try {
    try {
      result = await run();
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError)) throw error;
      await unchanged();
      result = await run();
    }
  } catch (error) {
    if (error instanceof ConcurrentChangeError) {
      const current = await store.incidents.get(req.tenant, req.number);
      throw new StaleCardError(req.number, current?.state ?? req.seen.state);
    }
    if (error instanceof WorkflowError && error.code === 'stale') throw new StaleCardError(req.number, (error.details.actual as CardIncident['state'] | undefined) ?? req.seen.state);
    if (error instanceof IncidentNotFoundError) throw new IncidentUnavailableError(req.number);
    throw error;
  }
  // Each curator change of the classifier's suggestion teaches it, as from the bot.
  for (const c of req.corrections ?? []) await store.classifier.recordCorrection(req.tenant, { ...c, incident: String(req.number) });
  return { decision: result.decision, incident: toCardIncident(result.incident) };
}
