import type { Correction } from '../classifiers/learning.js';
import type { Command } from '../workflow/incident-machine.js';
import type { CardIncident, CardMessage } from './ports.js';

/**
 * What a curator's decision teaches the classifier (store/classifier.ts retrains from
 * these), exactly as the staff bot records them: a changed topic, place or importance at
 * routing, a rejection on another ground than the classifier's, an overturned rejection.
 */
export function correctionsFor(command: Command, incident: CardIncident, message: CardMessage | null, by: string, at: Date): Correction[] {
  const verdict = incident.verdict;
  if (!message) return [];
  const base = { text: message.text, by, at };
  switch (command.type) {
    case 'confirm-and-route': {
      if (!verdict) return [];
      const out: Correction[] = [];
      if (command.topic !== verdict.topic?.value) out.push({ ...base, kind: 'topic', value: command.topic, previous: verdict.topic?.value ?? null });
      if ((command.location ?? null) !== (verdict.location?.value ?? null)) out.push({ ...base, kind: 'location', value: command.location, previous: verdict.location?.value ?? null });
      if (command.importance !== verdict.importance?.value) out.push({ ...base, kind: 'importance', value: command.importance, previous: verdict.importance?.value ?? null });
      return out;
    }
    case 'reject':
      if (verdict?.rejected && verdict.reasonCode === command.reason) return [];
      return [{ ...base, kind: 'reject', value: command.reason, previous: verdict?.reasonCode ?? null }];
    case 'overturn': {
      const previous = incident.rejection?.code ?? verdict?.reasonCode ?? null;
      return [{ ...base, kind: 'unreject', value: null, previous, evidence: incident.rejection ? [] : [...(verdict?.evidence ?? [])] }];
    }
    default:
      return [];
  }
}
