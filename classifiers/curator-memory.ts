/**
 * What the curator decided about particular texts, recalled for near copies of them.
 * The rules cannot learn a new word from one correction, but a message that is almost
 * the same as one the curator rejected, rated or placed deserves the same suggestion
 * (people re-post complaints and advertisements with small edits).
 */
import { RepeatIndex } from './repeat.js';

/** Similarity at which a message is a near copy of a corrected one. */
export const NEAR_COPY_SIMILARITY = 0.7;

export class CuratorMemory<T> {
  private readonly index = new RepeatIndex({ textThreshold: NEAR_COPY_SIMILARITY, sameLocationThreshold: NEAR_COPY_SIMILARITY });
  private readonly values = new Map<string, T>();

  constructor(examples: readonly { readonly text: string; readonly value: T }[] = []) {
    // Later corrections come later in the list and win on equal similarity.
    examples.forEach((e, i) => {
      this.index.add({ id: String(i), text: e.text });
      this.values.set(String(i), e.value);
    });
  }

  get size(): number {
    return this.values.size;
  }

  recall(text: string): { value: T; similarity: number } | null {
    if (this.values.size === 0) return null;
    const m = this.index.find({ text });
    if (m === null) return null;
    const value = this.values.get(m.incidentId);
    return value === undefined ? null : { value, similarity: m.similarity };
  }
}
