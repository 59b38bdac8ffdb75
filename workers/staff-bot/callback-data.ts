import { createHash } from 'node:crypto';
import { INCIDENT_STATES, type IncidentState } from '../../workflow/incident-states.js';

/**
 * What a button carries. Telegram allows 1–64 bytes of callback data, so the tenant goes
 * as a short hash of its name (resolved among the presser's own registrations) and the
 * state as its index. The state and the version the card showed make a press on a stale
 * card detectable: someone else acted since.
 *
 * The version is the length of the incident's history, not its revision: every staff or
 * system decision appends to the history (store/incidents.ts runCommand), while the
 * deadline watcher bumps the revision to fence its due-soon marks without deciding
 * anything — a card must not turn stale because a reminder threshold was recorded.
 */
export type CallbackAction =
  // curator, triage and returned
  | 'ok' | 'tp' | 'ts' | 'lc' | 'l0' | 'im' | 'dp' | 'dc' | 'rt' | 'rj' | 'rr' | 'ov' | 'bk'
  // executor
  | 'tk' | 'dr' | 'nc' | 'po' | 'ex' | 'eg'
  // curator review
  | 'ap' | 'ed' | 'rw'
  // the tenant choice of a user registered in several
  | 'tn'
  // the curator's decision when the author did not answer a clarification request (001 [17])
  | 'cn' | 'rs';

const ACTIONS: readonly CallbackAction[] = ['ok', 'tp', 'ts', 'lc', 'l0', 'im', 'dp', 'dc', 'rt', 'rj', 'rr', 'ov', 'bk', 'tk', 'dr', 'nc', 'po', 'ex', 'eg', 'ap', 'ed', 'rw', 'tn', 'cn', 'rs'];

export interface CallbackData {
  readonly tenantHash: string;
  readonly number: number;
  readonly state: IncidentState;
  /** The incident's history length when the card was drawn. */
  readonly version: number;
  readonly action: CallbackAction;
  /** An index into a list the card showed (topic, department, reason) or a draft kind. */
  readonly arg: string;
}

export const MAX_CALLBACK_BYTES = 64;

export function tenantHash(tenant: string): string {
  return createHash('sha256').update(tenant).digest('base64url').slice(0, 6);
}

export function encodeCallback(data: CallbackData): string {
  const text = [data.tenantHash, data.number, INCIDENT_STATES.indexOf(data.state), data.version, data.action, data.arg].join('|');
  if (Buffer.byteLength(text) > MAX_CALLBACK_BYTES) throw new RangeError(`callback data over ${MAX_CALLBACK_BYTES} bytes: ${text}`);
  return text;
}

/** null for anything this bot did not write (an old format, a forged press). */
export function decodeCallback(text: string): CallbackData | null {
  const parts = text.split('|');
  if (parts.length !== 6) return null;
  const [tenantHashPart, numberPart, statePart, versionPart, actionPart, arg] = parts as [string, string, string, string, string, string];
  const number = Number(numberPart);
  const state = INCIDENT_STATES[Number(statePart)];
  const version = Number(versionPart);
  const action = ACTIONS.find((a) => a === actionPart);
  if (!/^[\w-]{6}$/.test(tenantHashPart) || !Number.isInteger(number) || !Number.isInteger(version) || state === undefined || action === undefined) return null;
  return { tenantHash: tenantHashPart, number, state, version, action, arg };
}
