/**
 * Matters outside the administration's competence (001 [22]). Never a rejection: the
 * curator gets the suggestion «вне компетенции» with the area it seems to belong to,
 * and decides (000 [9], 001 [7]).
 */
import type { Normalized } from './normalize.js';
import { DEFAULT_OFF_COMPETENCE } from './data/dictionaries.js';

export interface CompetenceEntry {
  readonly pattern: string;
  readonly area: string;
}

export interface CompetenceSuggestion {
  readonly label: 'вне компетенции';
  readonly area: string;
  readonly evidence: readonly string[];
}

export class CompetenceRules {
  private readonly entries: readonly { re: RegExp; area: string }[];

  constructor(entries: readonly CompetenceEntry[] = DEFAULT_OFF_COMPETENCE) {
    this.entries = entries.map((e) => ({ re: new RegExp(`(?:^|[^а-яa-z])${e.pattern}`), area: e.area }));
    // All the areas in one run first: most messages name none. Patterns that refer back to
    // their own groups would change meaning in one expression; then each is run alone.
    const combinable = entries.length > 0 && entries.every((e) => !/\\[1-9k]|\(\?</.test(e.pattern.replace(/\(\?<[=!]/g, '')));
    this.any = combinable ? new RegExp(`(?:^|[^а-яa-z])(?:${entries.map((e) => `(?:${e.pattern})`).join('|')})`) : null;
  }

  private readonly any: RegExp | null;

  suggest(n: Normalized): CompetenceSuggestion | null {
    if (this.any !== null && !this.any.test(n.text)) return null;
    for (const e of this.entries) {
      const m = e.re.exec(n.text);
      if (m) return { label: 'вне компетенции', area: e.area, evidence: [m[0].replace(/^[^а-яa-z]/, '').trim()] };
    }
    return null;
  }
}
