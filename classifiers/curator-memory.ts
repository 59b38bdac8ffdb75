/**
 * What the curator decided about particular texts, recalled for near copies of them.
 * The rules cannot learn a new word from one correction, but a message that is almost
 * the same as one the curator rejected, rated or placed deserves the same suggestion
 * (people re-post complaints and advertisements with small edits).
 */
import { repeatProbe, RepeatIndex, repeatEntry, sketchSimilarity } from './repeat.js';

/** Similarity at which a message is a near copy of a corrected one. */
export const NEAR_COPY_SIMILARITY = 0.7;

export class CuratorMemory<T> {
  private readonly index = new RepeatIndex({ bucketCap: 1000 });
  private readonly values = new Map<string, T>();

  constructor(examples: readonly { readonly text: string; readonly value: T }[] = []) {
    examples.forEach((e, i) => {
      const probe = repeatProbe({ text: e.text, at: 0 });
      this.index.file(probe.keys, repeatEntry(probe, String(i)));
      this.values.set(String(i), e.value);
    });
  }

  get size(): number {
    return this.values.size;
  }

  recall(text: string): { value: T; similarity: number } | null {
    if (this.values.size === 0) return null;
    const probe = repeatProbe({ text, at: 0 });
    let best: { id: number; similarity: number } | null = null;
    for (const c of this.index.candidates(probe.keys)) {
      const similarity = sketchSimilarity(probe.sh, c.sh);
      const id = Number(c.id);
      // Later corrections come later in the list and win on equal similarity.
      if (similarity >= NEAR_COPY_SIMILARITY && (best === null || similarity > best.similarity || (similarity === best.similarity && id > best.id))) best = { id, similarity };
    }
    const value = best === null ? undefined : this.values.get(String(best.id));
    return best === null || value === undefined ? null : { value, similarity: Math.round(best.similarity * 1000) / 1000 };
  }
}
