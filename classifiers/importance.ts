/**
 * Importance: high when the message is socially significant or urgent — no water, gas or
 * electricity, no heating in winter or a flat below 18 °C, a gas smell, an accident on the
 * networks, fire, flood, collapse, an open manhole, dangerous wires, an animal attacking a
 * person, danger to life — with the reason in Russian. Only a suggestion: the curator
 * decides on the shortened term (000 [9], 001 [7]).
 *
 * What is denied («аварии нет», «пожара не было», «угрозы подтопления нет») or only feared
 * («если отключат свет», «может случиться обрушение») is not high.
 */
import type { Normalized } from './normalize.js';
import { DEFAULT_IMPORTANCE_SIGNS, type ImportanceSignData } from './data/dictionaries.js';

export type ImportanceValue = 'normal' | 'high';

export interface Importance {
  readonly value: ImportanceValue;
  /** Russian reasons the curator reads; empty when normal. */
  readonly reason: string;
  readonly evidence: readonly string[];
}

/** One sign of danger or urgency, as the lexicon (data/dictionaries.ts) states it. */
export type ImportanceSign = ImportanceSignData;

interface CompiledSign {
  readonly re: RegExp;
  readonly sign: ImportanceSign;
  readonly skipNear: RegExp | null;
  readonly keepIf: RegExp | null;
}

// What makes the words before a sign a supposition: «если», «может случиться», «а то».
const HYPOTHETICAL = /(?:^|[^а-я])(?:если|может|могут|вдруг|не дай бог|как бы не|пока не|чтобы не|чтоб не|а то|иначе|возможно|вероятно|скоро будет|рискуем|не хватало|боимся|опасаемся|на случай)(?![а-я])/;
// A denial right after an event («аварии нет», «пожара не было») or before it («никакой аварии»).
const DENIED_AFTER = /^[^.!?;:]{0,20}?(?:^|[^а-я])(?:нет|не было|не будет|не случилось|не произошло|не грозит|не наблюдается)(?![а-я])/;
const DENIED_BEFORE = /(?:никакой|никакого|никаких|нет никакой|без)\s+(?:\S+\s+)?$/;
const WINTER = /(?:^|[^а-я])(?:зим\S*|мороз\S*|минус\S*|январ\S*|феврал\S*|декабр\S*|холодно на улице|на улице холодн\S*)|(?<![\d+])-\s?\d{1,2}(?![\d])/;
// Indoor temperature: «в квартире +15», «в квартирах 12-14 градусов», «дома +14».
const TEMPERATURE = /(?<![\d-])(?:\+|плюс\s?)?(\d{1,2})(?:\s?[-–]\s?(\d{1,2}))?\s?(?:°\s?c?|градус\S*)|(?<![\d-])\+(\d{1,2})(?!\d|[,.]\d)/g;
const INDOORS = /квартир|в доме|дома(?![а-я])|комнат|помещени|в классе|в садике|в группе|в школе|в палате|в спальне|в детской/;
const HEAT_REASON = 'Температура в помещении ниже 18 °C';

function sentenceAround(text: string, from: number, to: number): { before: string; after: string } {
  const start = Math.max(text.lastIndexOf('.', from - 1), text.lastIndexOf('!', from - 1), text.lastIndexOf('?', from - 1), text.lastIndexOf(';', from - 1), text.lastIndexOf(':', from - 1)) + 1;
  return { before: text.slice(start, from), after: text.slice(to) };
}

/** The lowest indoor temperature named in the message, when below 18 °C. */
export function coldIndoors(text: string): string | null {
  for (const m of text.matchAll(TEMPERATURE)) {
    const value = Math.max(...[m[1], m[2], m[3]].filter((x): x is string => x !== undefined).map(Number));
    if (value >= 18) continue;
    const { before, after } = sentenceAround(text, m.index, m.index + m[0].length);
    if (/(?:^|[^а-я])минус\s?$/.test(before)) continue;
    // «температура воды 35 градусов», «на улице +5»: not the flat.
    if (/вод\S*\s*(?:\S+\s*){0,3}$/.test(before.slice(-40)) || /на улице\s*(?:\S+\s*)?$/.test(before)) continue;
    if (INDOORS.test(before) || INDOORS.test(after.slice(0, 40).split(/[.!?;]/)[0] ?? '')) return m[0].trim();
  }
  return null;
}

export class ImportanceRules {
  private readonly signs: readonly CompiledSign[];
  /** All the signs in one run: most messages match none and are done after it. */
  private readonly any: RegExp;

  constructor(signs: readonly ImportanceSign[] = DEFAULT_IMPORTANCE_SIGNS) {
    this.signs = signs.map((sign) => ({
      re: new RegExp(`(?:^|[^а-я])(?:${sign.pattern})`, 'g'),
      sign,
      skipNear: sign.skipNear ? new RegExp(`(?:^|[^а-я])(?:${sign.skipNear})`) : null,
      keepIf: sign.keepIf ? new RegExp(sign.keepIf) : null,
    }));
    this.any = new RegExp(`(?:^|[^а-я])(?:${signs.filter((s) => !s.modifier).map((s) => `(?:${s.pattern})`).join('|')})`);
  }

  assess(n: Normalized): Importance {
    const text = n.text;
    const reasons: string[] = [];
    const evidence: string[] = [];
    let found = false;
    const cold = /\d/.test(text) ? coldIndoors(text) : null;
    if (cold === null && !this.any.test(text)) return { value: 'normal', reason: '', evidence: [] };
    const winter = cold !== null || WINTER.test(text);
    if (cold !== null) { reasons.push(HEAT_REASON); evidence.push(cold); found = true; }
    const modifiers: { reason: string; evidence: string }[] = [];
    for (const { re, sign, skipNear, keepIf } of this.signs) {
      for (const m of text.matchAll(re)) {
        const start = m.index + (m[0].length - m[0].replace(/^[^а-я\d]/, '').length);
        const end = m.index + m[0].length;
        const { before, after } = sentenceAround(text, start, end);
        if (HYPOTHETICAL.test(before)) continue;
        if (sign.event && (DENIED_AFTER.test(after) || DENIED_BEFORE.test(before))) continue;
        if (sign.winter && !winter) continue;
        if (skipNear !== null && skipNear.test(text.slice(Math.max(0, start - 25), end + 25)) && !(keepIf !== null && keepIf.test(text))) continue;
        const words = m[0].replace(/^[^а-я\d]/, '').trim();
        if (sign.modifier) { modifiers.push({ reason: sign.reason, evidence: words }); break; }
        if (!reasons.includes(sign.reason)) reasons.push(sign.reason);
        evidence.push(words);
        found = true;
        break;
      }
    }
    if (!found) return { value: 'normal', reason: '', evidence: [] };
    for (const m of modifiers) { reasons.push(m.reason); evidence.push(m.evidence); }
    return { value: 'high', reason: reasons.join('; '), evidence };
  }
}
