/**
 * Street, house and settlement read from the text itself, without a gazetteer: the way
 * people write addresses in comments and letters — «ул. Ленина, д. 14, корп. 2»,
 * «пр-т Мира 23», «Красноармейская ул., 15», «в доме 14 по улице Чапаева», «на Ленина, 14»,
 * «Кирова,12 — воняет», «садовая16», «г. Зареченск, ул. Ленина, 5». The gazetteer then
 * normalises what it knows (verdict.ts).
 *
 * A name before «ул.» is a street only when nothing stands between them: in
 * «г. Зареченск, ул. Ленина» the city is the settlement. Without a street marker a word
 * counts as a street only when a house number follows and it is capitalized, looks like a
 * street name («-ова», «-ская», «Строителей») or follows «на», «у дома», «по адресу».
 * Among several addresses the first with a house number wins.
 */
import { WordMemo } from './memo.js';

export type StreetKind = 'улица' | 'проспект' | 'переулок' | 'бульвар' | 'шоссе' | 'проезд' | 'площадь' | 'микрорайон' | 'набережная' | 'квартал' | 'тракт' | 'тупик' | 'аллея';

export interface Address {
  /** «улица Ленина», «проспект Мира», «микрорайон Солнечный». */
  readonly street: string;
  /** The name alone, as written in the text, first letters capitalized: «Ленина», «8 Марта». */
  readonly name: string;
  readonly kind: StreetKind;
  /** «14», «21б», «2/1», «23к2». */
  readonly house?: string;
  readonly settlement?: string;
  /** The words of the message that name it. */
  readonly evidence: string;
}

interface Tok {
  readonly text: string;
  /** Lower case, ё as е. */
  readonly low: string;
  readonly kind: 'word' | 'number' | 'punct';
  readonly capital: boolean;
  readonly start: number;
  readonly end: number;
}

const MARKERS: readonly (readonly [RegExp, StreetKind])[] = [
  [/^(?:ул|улица|улице|улицы|улицу|улицей)$/, 'улица'],
  [/^(?:пр|пр-т|пр-кт|просп|проспект|проспекте|проспекта|проспекту|проспектом)$/, 'проспект'],
  [/^(?:пер|переулок|переулке|переулка|переулку|переулком)$/, 'переулок'],
  [/^(?:б-р|бульв|бульвар|бульваре|бульвара)$/, 'бульвар'],
  [/^(?:ш|шоссе)$/, 'шоссе'],
  [/^(?:пр-д|проезд|проезде|проезда)$/, 'проезд'],
  [/^(?:пл|площадь|площади)$/, 'площадь'],
  [/^(?:мкр|мкрн|мкр-н|микрорайон|микрорайоне|микрорайона)$/, 'микрорайон'],
  [/^(?:наб|набережная|набережной|набережную)$/, 'набережная'],
  [/^(?:кв-л|квартал|квартале|квартала)$/, 'квартал'],
  [/^(?:тракт|тракте|тракта)$/, 'тракт'],
  [/^(?:туп|тупик|тупике)$/, 'тупик'],
  [/^(?:аллея|аллее|аллеи)$/, 'аллея'],
];
const FEMININE: ReadonlySet<StreetKind> = new Set(['улица', 'площадь', 'набережная', 'аллея']);

const SETTLEMENT_MARKER = /^(?:г|город|городе|гор|с|село|селе|пос|п|поселок|поселке|пгт|д|дер|деревня|деревне|ст|станица|станице|х|хутор|хуторе|рп)$/;
const HOUSE_MARKER = /^(?:д|дом|доме|дома|домом|дому|№)$/;
const BUILDING = /^(?:корп|корпус|к|стр|строение)$/;
// Words between a street and its number: «ул. Центральной в районе дома № 48».
// «ул. Береговой (д. 20–30)», «ул. Садовой за д. 21», «ул. Пограничной от д. 2».
const FILLER = /^(?:в|районе|у|возле|около|напротив|за|от|д|дом|дома|доме|дому|№|,|\.|\()$/;
// What a number counts when it is not a house («5 минут», «12 градусов», «3 этаж»).
const UNIT = /^(?:г|гг|гр|мин|минут\S*|час|часа|часов|сек|секунд\S*|км|м|метр\S*|см|градус\S*|руб\S*|р|тыс\S*|лет|год\S*|раз|раза|человек\S*|чел|штук\S*|шт|дня|дней|день|недел\S*|месяц\S*|этаж\S*|квартир|семей|домов|классов?|кг|литр\S*|л|процент\S*|маршрут\S*|автобус\S*|рейс\S*|куб\S*|сотк\S*|га|мм|числ\S*|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)$/;
// Words before a number that are not streets («маршрут 12», «школа 2», «дом 5»).
const NOT_A_STREET = /^(?:маршрут\S*|автобус\S*|школ(?:а|ы|е|у|ой)?|сад|сада|саду|садик\S*|дом|дома|доме|д|квартир(?:а|ы|е|у|ой)?|кв|подъезд\S*|этаж\S*|кабинет\S*|групп(?:а|ы|е|у)|класс\S*|палат(?:а|ы|е|у)|корпус\S*|корп|гараж(?:а|е|и|ей)?|участ(?:ок|ка|ке|ки)|линия|трасс(?:а|ы|е|у)|год\S*|лет|номер\S*|пункт\S*|раз|уже|около|более|менее|больше|меньше|почти|примерно|всего|только|через|каждые|каждый|до|от|по|в|на|с|и|а|но|или|за|под|над|при|из|к|у|о|об|вот|это|там|тут|где|когда|сегодня|вчера|завтра|утром|вечером|ночью|днем|часов|минут|км|еще|ещё|нет|да|не|мы|вы|я|он|она|они|их|все|всех|весь|вся|было|были|был|будет|стоит|стоят|остановк(?:а|и|е|у|ой)|поликлиник(?:а|и|е|у|ой)|больниц(?:а|ы|е|у|ей)|аптек(?:а|и|е|у|ой)|магазин(?:а|е|у|ом)?|рынок|рынке|площадк(?:а|и|е|у|ой)|двор(?:а|е|у|ом)?|дорог(?:а|и|е|у|ой)?|трубы|лифт(?:а|е|ы)?|фонар(?:ь|я|и|ей)|контейнер(?:а|ы|ов)?|собак(?:а|и|у)?|машин(?:а|ы|у|ой)?|минус|плюс|температур\S*|тариф\S*|счет\S*|квитанц\S*|оплат\S*|стоимость|цена|цены|рублей|рубля|тысяч\S*|заявк\S*|обращени\S*|вопрос\S*|фз|статья|статьи|ст|п|пункта|приказ\S*|постановлени\S*|решени\S*|телефон\S*|тел|ооо|мкд|тп|лэп|кл|вл|ул|пр|пер|г|город|с|село|деревня|поселок|адресу|возле|напротив|вблизи|рядом|между|многоквартирн\S*|жил(?:ого|ом|ой|ых)|нашего|нашем|этого|этом|соседнего|соседнем|нового|старого|частного|каждого|каждом|одного|того|другого|недорого|дорого|быстро|учеников|детей|жителей|человек)$/;
// How street names look without a marker: surnames and nouns in the genitive, adjectives.
const STREET_LIKE = /(?:ова|ева|ина|ына|ского|цкого|ская|цкая|ской|цкой|ная|няя|вая|жая|чая|шая|щая|кая|ной|ней|вой|енко)$/;
// Endings that fit street names only when the word is capitalized too («Строителей», «Горького»).
const STREET_LIKE_CAPITAL = /(?:ого|его|ей|ов|ев|ая|яя|ой|а|я|е|о)$/;
const KNOWN_NAMES = /^(?:мира|победы|фрунзе|шевченко|гоголя|гайдара|свободы|труда|мая|марта|октября|революции|ленина|маркса|энгельса|жукова|гагарина|горького|чехова|кирова|пушкина|лермонтова|толстого|герцена|крупской|урицкого|куйбышева|чапаева|дзержинского|свердлова|калинина|некрасова|островского|суворова|кутузова|мичурина|пирогова|королева|титова|комарова|чкалова|ломоносова|менделеева|маяковского|есенина|блока|тургенева|достоевского|белинского|радищева|циолковского|гастелло|матросова|космонавтов|строителей|энергетиков|металлургов|шахтеров|нефтяников|геологов|железнодорожников|мелиораторов|связистов|химиков|студентов|пионеров|героев)$/;
const MONTHS = /^(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|лет)$/;
const PLACE_PREPOSITION = /^(?:на|по|у|возле|около|напротив|адресу)$/;
// Professions in the plural genitive name streets in lower case too («речников 4»), but only
// where an address opens the text or follows «на», «у»: elsewhere «от строителей 5» is no street.
const PLURAL_GENITIVE = /(?:ников|щиков|чиков|телей|истов|цев)$/;
// «Набережная 40», «у Набережной 40»: a street kind that is the street's whole name.
const KIND_AS_NAME = /^(?:набережная|набережной|набережную)$/;
// Between the houses of a list or a range: «домов № 16, 18, 20», «д. 36–44», «29 и 31».
const LIST_JOINER = /^(?:,|и|–|—|-)$/;

// The street kind of a word and whether it is no street's name are asked of nearly every
// word of a text with a number, several times each; the answers depend on the word alone.
const kinds = new WordMemo((word): StreetKind | null => MARKERS.find(([re]) => re.test(word))?.[1] ?? null);
const notStreets = new WordMemo((word) => NOT_A_STREET.test(word));

function kindOf(word: string): StreetKind | null {
  return kinds.of(word);
}

function notAStreet(word: string): boolean {
  return notStreets.of(word);
}

/** Lower case, ё as е; the replacement only when there is an ё (few words have one). */
function lowered(word: string): string {
  const low = word.toLowerCase();
  return low.includes('ё') ? low.replace(/ё/g, 'е') : low;
}

/** Whether a word begins with a capital Russian or Latin letter (/^[А-ЯЁA-Z]/ without a regex run). */
function capitalised(word: string): boolean {
  const c = word.charCodeAt(0);
  return (c >= 0x410 && c <= 0x42f) || c === 0x401 || (c >= 0x41 && c <= 0x5a);
}

// A Russian letter right before a digit: what a name glued to its number needs.
const GLUED_NUMBER = /[а-яёА-ЯЁ]\d/;

function tokenize(input: string): Tok[] {
  // «садовая16», «д.5»: letters glued to a number are two words.
  const text = GLUED_NUMBER.test(input) ? input.replace(/([а-яёА-ЯЁ]{3,})(\d)/g, '$1 $2') : input;
  const out: Tok[] = [];
  // A letter after a house number with a space is part of it unless it is a word itself
  // («14 с утра», «7 в подъезде»): «21 Б», not «14 с».
  const re = /(\d{1,4}(?:[а-яёa-zА-ЯЁ](?![а-яёa-zА-ЯЁ\d])|\s[бдежзлмнпртфхцчшщэю](?![а-яёa-z\d]))?(?:\s?\/\s?\d{1,3}[а-яё]?)?)|([A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)*)|([.,;:!?()«»"—–№-])/g;
  for (const m of text.matchAll(re)) {
    const raw = m[0];
    if (m[2] !== undefined) {
      // «Островского-д.9», «Ленина-14»: a house marker glued to the name with a hyphen.
      const glued = raw.includes('-') ? /^(.+)-(д|дом)$/i.exec(raw) : null;
      const parts = glued ? [glued[1]!, glued[2]!] : [raw];
      let at = m.index;
      for (const p of parts) {
        out.push({ text: p, low: lowered(p), kind: 'word', capital: capitalised(p), start: at, end: at + p.length });
        at += p.length + 1;
      }
    } else {
      out.push({ text: raw, low: raw.toLowerCase().replace(/ё/g, 'е').replace(/\s/g, ''), kind: m[1] !== undefined ? 'number' : 'punct', capital: false, start: m.index, end: m.index + raw.length });
    }
  }
  return out;
}

function capitalize(word: string): string {
  if (!word.includes('-')) return word.length > 0 ? word[0]!.toUpperCase() + word.slice(1) : word;
  return word.split('-').map((w) => (w.length > 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join('-');
}

/** «на Луговой» → «Луговая»: a feminine adjective in another case, back to the nominative. */
function nominative(name: string, kind: StreetKind, inflected: boolean): string {
  if (!FEMININE.has(kind) || !inflected) return name;
  return name.split(' ').map((w) => {
    if (/[^аеиоуыэюя]ой$/i.test(w) && w.length >= 5) return w.slice(0, -2) + 'ая';
    if (/нней$/i.test(w) || /[жчшщ]ей$/i.test(w)) return w.slice(0, -2) + (/[жчшщ]ей$/i.test(w) ? 'ая' : 'яя');
    if (/[^аеиоуыэюя]ую$/i.test(w) && w.length >= 5) return w.slice(0, -2) + 'ая';
    return w;
  }).join(' ');
}

interface HouseRead {
  readonly house: string;
  /** Index after the last token of the house. */
  readonly next: number;
  /** The first of a list or a range («д. 20–30», «№ 16, 18, 20»): a later lone house may single one out. */
  readonly several?: boolean;
}

/** Past the other houses of a list or a range after the one that ends before `i`. */
function skipHouseList(toks: readonly Tok[], i: number): number {
  let j = i;
  while (LIST_JOINER.test(toks[j]?.low ?? '') && toks[j + 1]?.kind === 'number' && !(toks[j + 2]?.kind === 'word' && UNIT.test(toks[j + 2]!.low))) j += 2;
  return j;
}

/** A house number at `i` (after optional «д.», «дом», «№»), with its «корп. 2», «стр. 1». */
function readHouse(toks: readonly Tok[], i: number): HouseRead | null {
  let j = i;
  for (let k = 0; k < 4 && j < toks.length && (HOUSE_MARKER.test(toks[j]!.low) || toks[j]!.low === '.' || toks[j]!.low === ','); k++) j++;
  const t = toks[j];
  if (t === undefined || t.kind !== 'number' || !/^\d/.test(t.low)) return null;
  const after = toks[j + 1];
  if (after !== undefined && after.kind === 'word' && UNIT.test(after.low)) return null;
  // A year («1938 г.р.», «в 2015 году») is no house unless «д.» or «дом» stands before it.
  if (/^(?:19|20)\d\d$/.test(t.low) && j === i) return null;
  let house = t.low.replace(/\s/g, '');
  let next = j + 1;
  // «корп. 2», «к2», «стр. 1»
  let k = next;
  if (toks[k]?.low === ',') k++;
  if (toks[k] !== undefined && BUILDING.test(toks[k]!.low)) {
    let m = k + 1;
    if (toks[m]?.low === '.') m++;
    if (toks[m]?.kind === 'number') { house += `${/^(?:стр|строение)$/.test(toks[k]!.low) ? 'с' : 'к'}${toks[m]!.low}`; next = m + 1; }
  }
  const listEnd = skipHouseList(toks, next);
  return listEnd > next ? { house, next: listEnd, several: true } : { house, next };
}

interface NameRead {
  readonly name: string;
  readonly next: number;
}

/** Up to three words of a street name after a marker: «Ленина», «8 Марта», «Карла Маркса». */
function readName(toks: readonly Tok[], i: number): NameRead | null {
  let j = i;
  // The dot of an abbreviation («ул. Ленина»), not the end of a sentence.
  if (toks[j]?.low === '.') { if ((toks[j - 1]?.low.length ?? 9) > 5) return null; j++; }
  const words: string[] = [];
  if (toks[j]?.kind === 'number' && toks[j + 1]?.kind === 'word' && MONTHS.test(toks[j + 1]!.low)) {
    words.push(toks[j]!.text, capitalize(toks[j + 1]!.low));
    j += 2;
  }
  while (j < toks.length && words.length < 3) {
    const t = toks[j]!;
    // A marker word is a name when capitalized right after a marker («ул. Набережная»).
    if (t.kind !== 'word' || HOUSE_MARKER.test(t.low) || (kindOf(t.low) !== null && !(words.length === 0 && t.capital && j > 0 && kindOf(toks[j - 1]!.low === '.' ? toks[j - 2]?.low ?? '' : toks[j - 1]!.low) !== null))) break;
    // After the first word only capitalized words or ones that look like names go on («Карла Маркса»).
    if (words.length > 0 && !(t.capital || KNOWN_NAMES.test(t.low))) break;
    if (words.length === 0 && notAStreet(t.low) && !t.capital) return null;
    words.push(t.capital ? t.text : capitalize(t.low));
    j++;
  }
  return words.length > 0 ? { name: words.join(' '), next: j } : null;
}

/** The settlement named before position `i`: «г. Зареченск», «с. Ключи», «в посёлке Северный». */
function settlementBefore(toks: readonly Tok[], i: number): string | undefined {
  for (let j = i - 1; j >= Math.max(0, i - 6); j--) {
    const t = toks[j]!;
    if (t.kind !== 'word' || !SETTLEMENT_MARKER.test(t.low)) continue;
    let k = j + 1;
    if (toks[k]?.low === '.') k++;
    const name = toks[k];
    // «д. 5» is a house, «д. Малиновка» a village.
    if (name === undefined || name.kind !== 'word' || kindOf(name.low) !== null || HOUSE_MARKER.test(name.low)) continue;
    if (!name.capital && /^(?:д|с|п|х|ст)$/.test(t.low)) continue;
    return capitalize(name.low);
  }
  return undefined;
}

function evidenceOf(input: string, toks: readonly Tok[], from: number, to: number): string {
  return input.slice(toks[from]!.start, toks[Math.min(to, toks.length) - 1]!.end).replace(/\s+/g, ' ');
}

function candidate(input: string, toks: readonly Tok[], kind: StreetKind, name: string, inflected: boolean, house: string | undefined, from: number, to: number): Address {
  const proper = nominative(name, kind, inflected);
  const settlement = settlementBefore(toks, from);
  return {
    street: `${kind} ${proper}`,
    name: proper,
    kind,
    ...(house !== undefined ? { house } : {}),
    ...(settlement !== undefined ? { settlement } : {}),
    evidence: evidenceOf(input, toks, from, to),
  };
}

// A text with no digit names an address only with a street word.
const MAY_NAME_ADDRESS = /(?:^|[^а-яё])(?:ул|пр|пер|мкр|б-р|наб|пл|кв-л|туп)[.\s]|улиц|проспект|переул|бульвар|шоссе|проезд|площад|микрорайон|набережн|квартал|тракт|тупик|аллея/i;

const DIGIT = /\d/;

/** How many tokens after a street name without a marker its house number may stand: 3 words, 3 fillers, 4 markers. */
const MAX_NAME_TO_NUMBER = 10;

/** All the addresses the text names, in order. */
export function findAddresses(input: string): Address[] {
  // A digit first, on its own: a scan for one class costs far less than trying every
  // alternative at every place, and most texts that name an address have a number.
  if (!DIGIT.test(input) && !MAY_NAME_ADDRESS.test(input)) return [];
  const toks = tokenize(input);
  // For the names without a marker: where the next number stands. Such a name takes at most
  // three words, three fillers and four house markers before its number (readName,
  // readHouse), so a word with no number within ten tokens after it begins none.
  const nextNumber = new Int32Array(toks.length + 1).fill(toks.length);
  for (let k = toks.length - 1; k >= 0; k--) nextNumber[k] = toks[k]!.kind === 'number' ? k : nextNumber[k + 1]!;
  // Each address with the token after it and whether its house opened a list or a range.
  const found: { readonly address: Address; readonly end: number; readonly several: boolean }[] = [];
  const used = new Set<number>();
  const push = (address: Address, from: number, to: number, several = false): void => {
    for (let k = from; k < to; k++) used.add(k);
    found.push({ address, end: to, several });
  };

  for (let i = 0; i < toks.length; i++) {
    if (used.has(i)) continue;
    const t = toks[i]!;
    const kind = t.kind === 'word' ? kindOf(t.low) : null;
    // «ул. Ленина, д. 14», «в переулке Речном дом 4»
    if (kind !== null && t.low !== 'пр' || (kind === 'проспект' && toks[i + 1]?.low === '.')) {
      const name = readName(toks, i + 1);
      if (name === null && kind === 'набережная' && KIND_AS_NAME.test(t.low)) {
        // «Набережная 40», «у Набережной 40», «Набережная, д. 1»: no name follows, a house does.
        const house = readHouse(toks, i + 1);
        if (house !== null) {
          push(candidate(input, toks, 'улица', 'Набережная', false, house.house, i, house.next), i, house.next, house.several);
          i = house.next - 1;
        }
        continue;
      }
      if (name === null || kind === null) continue;
      let j = name.next;
      let skipped = 0;
      while (j < toks.length && skipped < 4 && toks[j]!.kind !== 'number' && FILLER.test(toks[j]!.low)) { j++; skipped++; }
      const read = readHouse(toks, j);
      // «ул. Горняков и ул. Металлургов (у д. 1 по ул. Горняков)»: the house belongs to the street after «по».
      const house = read !== null && skipped > 0 && /^(?:по|на)$/.test(toks[read.next]?.low ?? '') && toks.slice(name.next, j).some((x) => HOUSE_MARKER.test(x.low)) ? null : read;
      const prev = toks[i - 1]?.low ?? '';
      const inflected = !/^(?:ул|улица|пр|пер|наб|пл)$/.test(t.low) || PLACE_PREPOSITION.test(prev);
      push(candidate(input, toks, kind, name.name, inflected || /(?:ой|ей|ую)$/.test(name.name), house?.house, i, house?.next ?? name.next), i, house?.next ?? name.next, house?.several);
      if (house !== null) i = house.next - 1;
      continue;
    }
    // «50 лет ВЛКСМ 9», «60 лет Октября 3», «8 Марта 14»: a street named by a number and a
    // capitalized word, then its house.
    if (t.kind === 'number' && /^\d{1,3}$/.test(t.low)) {
      const word = toks[i + 1];
      const named = word?.kind === 'word' && (word.low === 'лет' ? toks[i + 2]?.kind === 'word' && toks[i + 2]!.capital : word.capital && MONTHS.test(word.low));
      if (named) {
        const end = word.low === 'лет' ? i + 3 : i + 2;
        const house = readHouse(toks, end);
        if (house !== null && house.next - end <= 4) {
          const name = toks.slice(i, end).map((w) => (w.kind === 'word' && !w.capital ? w.low : w.text)).join(' ');
          push(candidate(input, toks, 'улица', name, false, house.house, i, house.next), i, house.next, house.several);
          i = house.next - 1;
          continue;
        }
      }
    }
    if (t.kind !== 'word') continue;
    // «Красноармейская ул., 15», «Весенняя улица, дом 3», «по Интернациональной улице»
    const after = toks[i + 1];
    const markerAfter = after?.kind === 'word' ? kindOf(after.low) : null;
    if (markerAfter !== null && (STREET_LIKE.test(t.low) || t.capital) && !notAStreet(t.low)) {
      let j = i + 2;
      if (toks[j]?.low === '.') j++;
      // «Зареченск ул Ленина»: the marker opens the next name, the word before is no street.
      const following = toks[j];
      if (following?.kind === 'word' && !HOUSE_MARKER.test(following.low) && (following.capital || STREET_LIKE.test(following.low) || KNOWN_NAMES.test(following.low))) continue;
      const house = readHouse(toks, j);
      push(candidate(input, toks, markerAfter, t.capital ? t.text : capitalize(t.low), true, house?.house, i, house?.next ?? j), i, house?.next ?? j, house?.several);
      continue;
    }
    // «в доме 14 по улице Чапаева», «дом № 36 по Интернациональной», «в доме 4 на Транспортной»
    // «к дому № 1 по ул. Бакенщиков», «домов № 16, 18, 20 по ул. Кирова»
    if ((HOUSE_MARKER.test(t.low) && t.low !== '№') || t.low === 'домов') {
      const house = readHouse(toks, t.low === 'домов' ? i + 1 : i);
      if (house !== null && /^(?:по|на)$/.test(toks[house.next]?.low ?? '')) {
        let j = house.next + 1;
        const marker = toks[j]?.kind === 'word' ? kindOf(toks[j]!.low) : null;
        if (marker !== null) j++;
        const name = readName(toks, j);
        if (name !== null) {
          let end = name.next;
          const trailing = toks[end]?.kind === 'word' ? kindOf(toks[end]!.low) : null;
          if (trailing !== null) end++;
          const streetKind = marker ?? trailing ?? 'улица';
          if (marker !== null || trailing !== null || STREET_LIKE.test(name.name.toLowerCase()) || KNOWN_NAMES.test(name.name.toLowerCase()) || toks[j]!.capital) {
            push(candidate(input, toks, streetKind, name.name, true, house.house, i, end), i, end, house.several);
            i = end - 1;
            continue;
          }
        }
      }
    }
    // «на Ленина, 14», «у дома Советская 4», «Кирова,12 — …», «пушкина 8 домофон»
    if (t.kind === 'word' && nextNumber[i + 1]! - i <= MAX_NAME_TO_NUMBER && !notAStreet(t.low) && t.low.length >= 3 && !SETTLEMENT_MARKER.test(t.low)) {
      const prev = toks[i - 1];
      const afterPlace = prev !== undefined && (PLACE_PREPOSITION.test(prev.low) || /^(?:дома|доме|дом)$/.test(prev.low));
      const opens = i === 0 || /^[.!?:;—–-]$/.test(prev?.low ?? '') || prev?.low === ',';
      // «8 марта 10 утра» is a date and a time: «8 Марта 14» was read above as a street.
      if (MONTHS.test(t.low) && prev?.kind === 'number') continue;
      // «в клубе Комсомольская 12»: a common noun before a capitalized name is no part of it.
      if (!t.capital && toks[i + 1]?.kind === 'word' && toks[i + 1]!.capital && !KNOWN_NAMES.test(t.low)) continue;
      const name = readName(toks, i);
      if (name === null) continue;
      const last = name.name.toLowerCase().split(' ').pop()!;
      const looksLike = STREET_LIKE.test(last) || KNOWN_NAMES.test(last) || (t.capital && STREET_LIKE_CAPITAL.test(last)) || ((opens || afterPlace) && name.next === i + 1 && PLURAL_GENITIVE.test(last));
      if (!looksLike && !(t.capital && !opens) && !(afterPlace && t.capital)) continue;
      let j = name.next;
      let skipped = 0;
      while (j < toks.length && skipped < 3 && toks[j]!.kind !== 'number' && /^(?:,|-|—|–|возле|у|около|напротив)$/.test(toks[j]!.low)) { j++; skipped++; }
      const house = readHouse(toks, j);
      if (house === null) continue;
      // «многоквартирного дома № 11 по проспекту Победы»: the house belongs to the street after «по».
      if (/^(?:по|на)$/.test(toks[house.next]?.low ?? '') && HOUSE_MARKER.test(toks[j]?.low ?? '')) continue;
      if (!(afterPlace || opens || looksLike)) continue;
      push(candidate(input, toks, 'улица', name.name, afterPlace || /(?:ой|ей)$/.test(last), house.house, i, house.next), i, house.next, house.several);
      i = house.next - 1;
    }
  }
  // A street read without a house, or with a list or a range of them, takes the house the text
  // singles out after it: the same street named again with one («домов № 10, 12, 14 по ул.
  // Пушкина … ул. Пушкина, д. 12, кв. 8»), else a lone house («ул. Нагорной, д. 36–44 …
  // напротив д. 40», «остановке «Проспект Ударников» (у дома № 60)»).
  return found.map(({ address: a, end, several }, k) => {
    if (a.house !== undefined && !several) return a;
    const house = found.slice(k + 1).map((f) => f.address).find((b) => b.street === a.street && b.house !== undefined)?.house ?? loneHouseAfter(toks, end, used);
    return house === null || house === undefined ? a : { ...a, house };
  });
}

/** The first «д. 40», «у дома № 60» from `i` on that belongs to no street of its own. */
function loneHouseAfter(toks: readonly Tok[], i: number, used: ReadonlySet<number>): string | null {
  for (let k = i; k < toks.length; k++) {
    if (used.has(k) || !/^(?:д|дом|дома|доме|дому)$/.test(toks[k]!.low)) continue;
    const house = readHouse(toks, k);
    // «дом 5 по ул. Мира» names its own street; «д. 2 до д. 28» opens another range.
    if (house === null || /^(?:по|на)$/.test(toks[house.next]?.low ?? '')) continue;
    return house.house;
  }
  return null;
}

/** The address a curator would take: the first with a house number, else the first. */
export function findAddress(input: string): Address | null {
  const all = findAddresses(input);
  return all.find((a) => a.house !== undefined) ?? all[0] ?? null;
}
