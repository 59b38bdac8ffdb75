import { TOPIC_GUIDE, TOPIC_GUIDE_RULES, type TopicGuideEntry } from '../classifiers/data/topic-guide.js';

/**
 * The administration's topic guide (classifiers/data/topic-guide.ts) as the workplace and
 * the staff bot show it to curators where they choose a topic: a tenant may keep topics of
 * its own, which have no entry and are shown as such rather than left blank.
 */
export { TOPIC_GUIDE_RULES };
export type { TopicGuideEntry };

/** What a tenant's own topic, absent from the guide, shows instead of a description. */
export const NO_GUIDE_ENTRY = 'описание не задано';

export function guideEntry(topic: string): TopicGuideEntry | null {
  return Object.hasOwn(TOPIC_GUIDE, topic) ? TOPIC_GUIDE[topic as keyof typeof TOPIC_GUIDE] : null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The topics the guide itself names in a topic's «Не сюда», in the order it names them:
 * the neighbours people confuse it with, so the ones a curator should compare it to.
 */
export function guideNeighbours(topic: string, candidates: readonly string[]): string[] {
  const entry = guideEntry(topic);
  if (!entry) return [];
  const found: Array<{ topic: string; at: number }> = [];
  for (const candidate of candidates) {
    if (candidate === topic) continue;
    // Whole words only: «транспорт» must not match inside «транспорте».
    const match = new RegExp(`(?<!\\p{L})${escapeRegExp(candidate)}(?!\\p{L})`, 'iu').exec(entry.notHere);
    if (match) found.push({ topic: candidate, at: match.index });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.topic);
}
