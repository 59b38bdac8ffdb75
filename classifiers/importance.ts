/**
 * Importance: high when the message is socially significant or urgent — no water, heat
 * or electricity, an accident, danger to children, collapse, fire, flood, many people
 * affected — with the reason in Russian. Only a suggestion: the curator decides on the
 * shortened term (000 [9], 001 [7]).
 */
import type { Normalized } from './normalize.js';
import { DEFAULT_IMPORTANCE_SIGNS } from './data/dictionaries.js';

export type ImportanceValue = 'normal' | 'high';

export interface Importance {
  readonly value: ImportanceValue;
  /** Russian reasons the curator reads; empty when normal. */
  readonly reason: string;
  readonly evidence: readonly string[];
}

export interface ImportanceSign {
  readonly pattern: string;
  readonly reason: string;
}

export class ImportanceRules {
  private readonly signs: readonly { re: RegExp; reason: string }[];

  constructor(signs: readonly ImportanceSign[] = DEFAULT_IMPORTANCE_SIGNS) {
    this.signs = signs.map((s) => ({ re: new RegExp(`(?:^|[^а-я])(?:${s.pattern})`), reason: s.reason }));
  }

  assess(n: Normalized): Importance {
    const reasons: string[] = [];
    const evidence: string[] = [];
    for (const s of this.signs) {
      const m = s.re.exec(n.text);
      if (m) { reasons.push(s.reason); evidence.push(m[0].replace(/^[^а-я]/, '').trim()); }
    }
    if (reasons.length === 0) return { value: 'normal', reason: '', evidence: [] };
    return { value: 'high', reason: reasons.join('; '), evidence };
  }
}
