/**
 * Location from the tenant's gazetteer (settlements, districts, streets, landmarks) and
 * from the address in the text (address.ts): `locate` joins the two.
 * Russian inflects names («Ключи» → «в Ключах», «Советская улица» → «по Советской»),
 * so names and message words are compared by stem; stems of the two forms may differ
 * by a letter or two at the end («поля»/«полян»), which a short prefix tolerance covers.
 * Street names that are also common words («Мира», «Победы», «Садовая») count only with
 * a street marker («ул.», «улица», «пер.»), a house number, or a preposition of place.
 */
import type { Address } from './address.js';
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
  /** The place as the tenant's gazetteer names it, or as read from the text («улица Ленина»). */
  readonly value: string;
  readonly kind: PlaceKind;
  readonly settlement?: string;
  /** The street's name alone («Ленина»), when the place is a street. */
  readonly street?: string;
  readonly house?: string;
  /** Where the place came from: the tenant's gazetteer, or the address in the text only. */
  readonly source?: 'gazetteer' | 'text';
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

  /**
   * The gazetteer's entry for a name read from an address («Луговой» → «Луговая улица»),
   * by stems; within the settlement when one is named and the entry has one.
   */
  entryFor(name: string, kinds: readonly PlaceKind[], settlement?: string): GazetteerEntry | null {
    const stems = wordsOf(name).filter((w) => !STREET_MARKER.test(w)).map(stem);
    if (stems.length === 0) return null;
    let best: GazetteerEntry | null = null;
    for (const p of this.byFirst.get(stems[0]!.slice(0, 3)) ?? []) {
      if (!kinds.includes(p.entry.kind) || p.stems.length !== stems.length) continue;
      if (!p.stems.every((s, k) => stemsMatch(s, stems[k]!))) continue;
      if (settlement !== undefined && p.entry.settlement !== undefined && !stemsMatch(stem(p.entry.settlement.toLowerCase()), stem(settlement.toLowerCase()))) continue;
      best = p.entry;
      if (settlement === undefined || p.entry.settlement !== undefined) break;
    }
    return best;
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
      source: 'gazetteer',
      ...(p.entry.settlement !== undefined ? { settlement: p.entry.settlement } : {}),
      ...(house !== undefined ? { house } : {}),
      evidence: words.slice(Math.max(0, at - (STREET_MARKER.test(before) ? 1 : 0)), end + (house !== undefined ? 1 : 0)).join(' '),
      confidence,
    };
  }
}

/**
 * The place of a message: the address the text names (street, house, settlement; read
 * even when the gazetteer does not know the street) and the gazetteer's match, joined.
 * The gazetteer normalises what it knows («на Луговой 30» → «Луговая улица», д. 30); the
 * match with a house number wins over one without; a street wins over the settlement
 * around it, which then becomes its settlement.
 */
export function locate(gazetteer: Gazetteer, n: Normalized, address: Address | null): LocationMatch | null {
  const g = gazetteer.find(n);
  if (address === null) return g;
  const gSettlement = g !== null && g.kind === 'settlement' ? g.value : undefined;
  const settlementEntry = address.settlement !== undefined ? gazetteer.entryFor(address.settlement, ['settlement']) : null;
  const settlement = settlementEntry?.name ?? address.settlement ?? gSettlement;
  const known = gazetteer.entryFor(address.name, ['street', 'district', 'landmark'], settlement);
  const fromText: LocationMatch = {
    value: known?.name ?? address.street,
    kind: known?.kind ?? 'street',
    source: known !== null ? 'gazetteer' : 'text',
    ...((known?.settlement ?? settlement) !== undefined ? { settlement: known?.settlement ?? settlement } : {}),
    street: address.name,
    ...(address.house !== undefined ? { house: address.house } : {}),
    evidence: address.evidence,
    confidence: address.house !== undefined || known !== null ? 'high' : 'medium',
  };
  if (g === null || g.kind === 'settlement' || g.kind === 'district') return fromText;
  if (known !== null && known.name === g.value) {
    return { ...g, street: address.name, ...(g.house ?? address.house) !== undefined ? { house: g.house ?? address.house } : {}, ...(g.settlement ?? fromText.settlement) !== undefined ? { settlement: g.settlement ?? fromText.settlement } : {} };
  }
  if (address.house !== undefined && g.house === undefined) return fromText;
  return g;
}
