/**
 * Location from the tenant's gazetteer: settlements, districts, streets, landmarks.
 * Russian inflects names («Ключи» → «в Ключах», «Советская улица» → «по Советской»),
 * so names and message words are compared by stem; stems of the two forms may differ
 * by a letter or two at the end («поля»/«полян»), which a short prefix tolerance covers.
 * Street names that are also common words («Мира», «Победы», «Садовая») count only with
 * a street marker («ул.», «улица», «пер.»), a house number, or a preposition of place.
 */
import type { Normalized } from './normalize.js';
import { stem } from './stem.js';

export type PlaceKind = 'settlement' | 'district' | 'street' | 'landmark';

export interface GazetteerEntry {
  readonly name: string;
  readonly kind: PlaceKind;
  readonly aliases?: readonly string[];
  /** The settlement a street or landmark belongs to, when the tenant has several. */
  readonly settlement?: string;
}

export interface LocationMatch {
  readonly value: string;
  readonly kind: PlaceKind;
  readonly settlement?: string;
  readonly house?: string;
  /** The words of the message that named the place. */
  readonly evidence: string;
  readonly confidence: 'high' | 'medium' | 'low';
}

const STREET_MARKER = /^(?:ул|улица|улице|улицы|улицу|улицей|пр|просп|проспект|проспекте|проспекта|пер|переулок|переулке|переулка|пл|площадь|площади|мкр|микрорайон|микрорайоне|микрорайона|бульвар|бульваре|б-р|шоссе|проезд|проезде|тупик|набережная|набережной|тракт|тракте|кв-л|квартал|квартале)$/;
const PLACE_PREPOSITION = /^(?:на|по|в|во|с|со|у|от|до|из|под|около|возле|напротив|вдоль|за|между|к|ко)$/;
const HOUSE = /^(?:д|дом|доме|дома)?(\d{1,4}[а-яa-z]?(?:\/\d{1,3})?)$/;
const SPECIFICITY: Readonly<Record<PlaceKind, number>> = { street: 3, landmark: 2, district: 1, settlement: 0 };

interface Pattern {
  readonly entry: GazetteerEntry;
  readonly stems: readonly string[];
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/ё/g, 'е').split(/[^а-яa-z0-9-]+/).filter((w) => w.length > 0);
}

function stemsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < 4 || b.length < 4) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long.startsWith(short) && long.length - short.length <= 2;
}

export class Gazetteer {
  private readonly byFirst = new Map<string, Pattern[]>();

  constructor(entries: readonly GazetteerEntry[]) {
    for (const entry of entries) {
      for (const name of [entry.name, ...(entry.aliases ?? [])]) {
        // Street names are indexed without the marker word: «улица Ленина» → «ленин».
        const words = wordsOf(name).filter((w) => !STREET_MARKER.test(w));
        if (words.length === 0) continue;
        const stems = words.map(stem);
        const key = stems[0]!.slice(0, 3);
        const list = this.byFirst.get(key) ?? [];
        list.push({ entry, stems });
        this.byFirst.set(key, list);
      }
    }
  }

  get size(): number {
    return this.byFirst.size;
  }

  find(n: Normalized): LocationMatch | null {
    if (this.byFirst.size === 0) return null;
    const words = wordsOf(n.text);
    const stems = words.map(stem);
    let best: LocationMatch | null = null;
    // The most specific place wins («в Петуховке на Садовой» → the street); confidence
    // decides between places of the same kind.
    const rank = (m: LocationMatch): number => SPECIFICITY[m.kind] * 10 + ({ high: 2, medium: 1, low: 0 })[m.confidence];
    for (let i = 0; i < stems.length; i++) {
      const candidates = this.byFirst.get(stems[i]!.slice(0, 3));
      if (candidates === undefined) continue;
      for (const p of candidates) {
        if (i + p.stems.length > stems.length) continue;
        let ok = true;
        for (let k = 0; k < p.stems.length && ok; k++) ok = stemsMatch(p.stems[k]!, stems[i + k]!);
        if (!ok) continue;
        const m = this.judge(p, words, i);
        if (m !== null && (best === null || rank(m) > rank(best))) best = m;
      }
    }
    return best;
  }

  private judge(p: Pattern, words: readonly string[], at: number): LocationMatch | null {
    const end = at + p.stems.length;
    const before = words[at - 1] ?? '';
    const before2 = words[at - 2] ?? '';
    const after = words[end] ?? '';
    const after2 = words[end + 1] ?? '';
    const marker = STREET_MARKER.test(before) || STREET_MARKER.test(after);
    const houseMatch = HOUSE.exec(after) ?? (STREET_MARKER.test(after) ? HOUSE.exec(after2) : null) ?? (/^(?:д|дом)$/.test(after) ? HOUSE.exec(after2) : null);
    // «в доме 14 по улице Гагарина»: the number may come before the street.
    let house = houseMatch?.[1];
    for (let k = 2; house === undefined && k <= 4 && at - k - 1 >= 0; k++) {
      if (/^\d{1,4}[а-я]?$/.test(words[at - k]!) && /^(?:д|дом|доме|дома|домом)$/.test(words[at - k - 1]!)) house = words[at - k];
    }
    const preposition = PLACE_PREPOSITION.test(before) || (STREET_MARKER.test(before) && PLACE_PREPOSITION.test(before2));
    const long = p.stems.length > 1 || p.stems[0]!.length >= 6;
    let confidence: LocationMatch['confidence'] | null;
    if (p.entry.kind === 'street') {
      confidence = marker || house !== undefined ? 'high' : preposition && p.stems[0]!.length >= 4 ? 'medium' : long && p.stems.length > 1 ? 'low' : null;
    } else {
      confidence = preposition ? 'high' : long ? 'medium' : null;
    }
    if (confidence === null) return null;
    return {
      value: p.entry.name,
      kind: p.entry.kind,
      ...(p.entry.settlement !== undefined ? { settlement: p.entry.settlement } : {}),
      ...(house !== undefined ? { house } : {}),
      evidence: words.slice(Math.max(0, at - (STREET_MARKER.test(before) ? 1 : 0)), end + (house !== undefined ? 1 : 0)).join(' '),
      confidence,
    };
  }
}
