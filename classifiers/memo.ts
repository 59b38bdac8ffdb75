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
