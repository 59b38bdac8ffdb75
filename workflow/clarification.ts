// Which newly arrived message is the author's reply to a clarification request (001 [17]):
// the worker that stores messages asks this for each incident of the same author waiting
// in «Ожидается уточнение от автора», and issues `author-replied` for the one it names.
// Pure: the messages and incidents come in as data.
import type { HistoryRecord } from './incident-machine.js';
import type { IncidentState } from './incident-states.js';

/** The parts of a message (connectors/types.ts NormalizedMessage) the match looks at. */
export interface ArrivedMessage {
  readonly network: string;
  readonly kind: 'comment' | 'private' | 'mention';
  readonly place: { readonly containerId: string; readonly postId?: string; readonly threadId?: string; readonly itemId: string };
  readonly author: { readonly id: string; readonly anonymous: boolean };
  readonly createdAt: Date;
}

/** An incident with the message it was made from. */
export interface ClarificationCandidate {
  readonly number: number;
  readonly state: IncidentState;
  /** The state changes: the last move into «awaiting-author» is when the request went out. */
  readonly history: readonly HistoryRecord[];
  readonly message: ArrivedMessage;
}

/** When the request was published: the last entry into `awaiting-author`; null if it never was. */
export function clarificationRequestedAt(incident: Pick<ClarificationCandidate, 'history'>): Date | null {
  for (let i = incident.history.length - 1; i >= 0; i--) {
    const h = incident.history[i];
    if (h?.to === 'awaiting-author') return h.at;
  }
  return null;
}

/**
 * The conversation a message belongs to. VK and OK comments sit under one post or topic
 * (a reply to our comment has its own `threadId`, but the same post); a Telegram group is
 * one conversation per forum topic (`message_thread_id`), or one for the whole chat.
 */
function threadOf(m: ArrivedMessage): string {
  if (m.network === 'telegram') return `${m.place.containerId}#${m.place.threadId ?? ''}`;
  return `${m.place.containerId}/${m.place.postId ?? m.place.itemId}`;
}

export type ReplyMatch = 'same-thread' | 'private-chat' | null;

/**
 * How `message` answers `incident`'s clarification request, or null when it does not: the
 * incident waits for the author; the message is from the same person (not an anonymous
 * one) on the same network, written after the request was published, either in the same
 * conversation as the original message or in a private chat with the administration (where
 * the request itself goes when the public reply is blocked, 001 [20]).
 */
export function clarificationReplyMatch(message: ArrivedMessage, incident: ClarificationCandidate): ReplyMatch {
  if (incident.state !== 'awaiting-author') return null;
  const original = incident.message;
  if (message.network !== original.network) return null;
  if (message.author.anonymous || original.author.anonymous || message.author.id !== original.author.id) return null;
  const requestedAt = clarificationRequestedAt(incident);
  // The network's clock counts in whole seconds: a reply stamped in the second of the request still counts.
  if (requestedAt === null || message.createdAt.getTime() < Math.floor(requestedAt.getTime() / 1000) * 1000) return null;
  if (message.kind === 'private') return 'private-chat';
  if (original.kind !== 'private' && threadOf(message) === threadOf(original)) return 'same-thread';
  return null;
}

export function isClarificationReply(message: ArrivedMessage, incident: ClarificationCandidate): boolean {
  return clarificationReplyMatch(message, incident) !== null;
}

/**
 * The incident a message replies to, when the author has several waiting: a reply in the
 * same conversation first, then the latest request (the question the author most likely
 * answers in a private chat). null: the message is a new one.
 */
export function clarificationReplyTarget<T extends ClarificationCandidate>(message: ArrivedMessage, incidents: readonly T[]): T | null {
  const rank = (m: ReplyMatch): number => (m === 'same-thread' ? 2 : m === 'private-chat' ? 1 : 0);
  let best: { incident: T; rank: number; at: number } | null = null;
  for (const incident of incidents) {
    const r = rank(clarificationReplyMatch(message, incident));
    if (r === 0) continue;
    const at = clarificationRequestedAt(incident)?.getTime() ?? 0;
    if (!best || r > best.rank || (r === best.rank && (at > best.at || (at === best.at && incident.number > best.incident.number)))) best = { incident, rank: r, at };
  }
  return best?.incident ?? null;
}
