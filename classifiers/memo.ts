/**
 * A one-entry stand-in for a WeakMap: the value last stored, for the key it was stored
 * under. The rules ask the same questions of one message one after another (its reported
 * words, its own sentence, the tokens of a word list); a WeakMap per question cost more
 * than many of the answers (an entry per message in every map, and ephemeron work for the
 * garbage collector). Another key finds nothing and computes again, so answers never mix
 * messages.
 */
export class LastMemo<K extends object, V> {
  private key: K | undefined;
  private value: V | undefined;

  get(key: K): V | undefined {
    return this.key === key ? this.value : undefined;
  }

  set(key: K, value: V): this {
    this.key = key;
    this.value = value;
    return this;
  }
}

/**
 * A function of one word, remembered: the rules ask about the same few thousand words of
 * municipal messages again and again, and an answer may cost several regex runs. Past
 * `limit` words it starts afresh, so a stream of new words (names, typos, spam) never grows
 * it without bound.
 */
export class WordMemo<V> {
  private readonly known = new Map<string, V>();

  constructor(private readonly compute: (word: string) => V, private readonly limit = 50_000) {}

  of(word: string): V {
    let value = this.known.get(word);
    if (value === undefined) {
      value = this.compute(word);
      if (this.known.size >= this.limit) this.known.clear();
      this.known.set(word, value);
    }
    return value;
  }

  /** Forgets every answer: what they depend on has changed. */
  clear(): void {
    this.known.clear();
  }
}
