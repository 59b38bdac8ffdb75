import type { IncidentState } from '../workflow/incident-states.js';

/**
 * The inbox's queues, in the order staff work them. A queue is a set of states; two of
 * them are told apart by the publisher's hand-over: an answer whose delivery could not be
 * confirmed stays «Публикуется» and waits for a person («требует внимания человека»).
 */
export interface Queue {
  readonly id: QueueId;
  readonly label: string;
  readonly states: readonly IncidentState[];
  /** true: only those handed to a person; false: only those not; absent: either. */
  readonly manualCheck?: boolean;
  /** Closed and rejected ones grow without end: their tabs show no count. */
  readonly counted: boolean;
}

export type QueueId = 'triage' | 'executor' | 'review' | 'rework' | 'publishing' | 'attention' | 'rejected' | 'closed';

export const QUEUES: readonly Queue[] = [
  // 000 [9], 001 [7, 11]: new ones and those an executor handed back.
  { id: 'triage', label: 'На распределении', states: ['triage', 'returned'], counted: true },
  // 001 [15, 17]: waiting for the final answer or the author's reply, the executor still holds it.
  { id: 'executor', label: 'У исполнителя', states: ['assigned', 'draft', 'awaiting-final', 'awaiting-author'], counted: true },
  { id: 'review', label: 'На согласовании', states: ['review'], counted: true },
  { id: 'rework', label: 'На доработке', states: ['rework'], counted: true },
  { id: 'publishing', label: 'Публикуется', states: ['approved', 'publishing'], manualCheck: false, counted: true },
  { id: 'attention', label: 'Требует внимания человека', states: ['publishing'], manualCheck: true, counted: true },
  { id: 'rejected', label: 'Отклонено', states: ['rejected'], counted: false },
  { id: 'closed', label: 'Закрыто', states: ['published', 'published-private', 'closed-no-channel', 'explained', 'converted', 'closed-no-reply'], counted: false },
];

export function queueOf(id: string | undefined): Queue | undefined {
  return QUEUES.find((q) => q.id === id);
}

/** Which queue an incident in this state is listed in. */
export function queueOfState(state: IncidentState, manualCheck: boolean): Queue | undefined {
  return QUEUES.find((q) => q.states.includes(state) && (q.manualCheck === undefined || q.manualCheck === manualCheck));
}
