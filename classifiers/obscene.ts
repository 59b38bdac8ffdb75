/**
 * Obscene language (мат), 000 [3], 001 [22], 002 [12], 004 [3.6].
 *
 * Matched by roots and the way Russian derives words from them (prefixes such as
 * на-/по-/за-/вы-/разъ-, the ё/е and ъ/ь variants), not by a list of finished words,
 * so «выебнулся», «распиздяйство» or «охуенно» are found without being listed.
 * Each root is anchored where an innocent word could contain the same letters:
 * «страхуй», «психует», «плохую» (ху-), «себе», «хлебать», «употреблять» (еб),
 * «командировка», «мандарин» (манд), «скипидар» (пидар), «бляха» (бля).
 */
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { matchesAny } from './words.js';
import { DEFAULT_OBSCENE_EXCLUSIONS } from './data/dictionaries.js';

/** Prefixes under which the ху- and еб- roots form obscene words. */
const HU_PREFIX = '(?:а|на|по|до|за|от|о|об|обо|осто|при|про|вы|в|вз|пере|рас|раз|ис|с|у|недо|из|ни|под|пол)';
const EB_PREFIX = '(?:за|вы|у|на|до|от|отъ|оть|подъ|подь|под|разъ|разь|раз|съ|сь|про|пере|по|при|недо|изъ|изь|из|въ|вь|взъ|взь|долбо|дол[оа]|ни|об|объ|обь|осто|зло)';

export const OBSCENE_ROOTS: readonly RegExp[] = [
  new RegExp(`^${HU_PREFIX}?ху[йеияю]`),
  /^хули$|^хуле$/,
  /п[иеё]зд|пизж/,
  new RegExp(`^(?:не)?${EB_PREFIX}?(?:е|йо|ё)б(?!ург|онит)`),
  // Second root of a compound after a linking vowel: «мозгоёб», «долбоёб», «хитровыебанный»,
  // «кривохуй», «однохуйственно»; not «двоеборье», «двоебрачие», «похуже».
  /[а-я]{2}[ое](?:вы)?(?:е|ё)б(?![оа]?р)/, /[а-я]{2}[ое]ху[йеёя](?!ж)/,
  /^(?:вы|по|за|от|раз|про)?бляд|^бля$|^блят|^блеат/,
  /^манд(?:а|ы|е|у|ой|ою|ец|еж|ища|ище|ав[оа]ш)/,
  /муд(?:ак|ач|ац|ил|озв|еж|охал|ох|ень|ить|ище)/,
  /залуп/,
  /пид[оа]р|пидр|^педрил|^п[еи]дик(?:и|ов|ам|а|у|ом)?$/,
  /г[ао]нд[ао]н/,
  /шлюх/,
  /^сук(?:а|и|у|ой|ам|ами|ин|ина|ины)$|^сучар|^сучий$/,
  /^(?:за|по|на|от|вз|пере)?дроч/,
  // «похерить» (to cross out) is left alone: it is not мат.
  /^(?:на|по|за|ни|от|до)хер(?:$|у|а|ом)|^охере|^хер(?:ня|ни|ов|ово|ом|ь|а|у|$)/,
  /^(?:fuck|fck|shit|bitch|motherf|cunt)/,
  // Abbreviations and phonetic spellings: «пздц», «нах», «ипать».
  /^пздц|^пздюк|^пзд[еоа]/, /^(?:е|ё|йо)пт(?:а|ь|ить|ыть)?$/, /^нах$/, /^(?:за|вы|на|от|у)?ип(?:ать|ал|али|ала|аный|анный|анутый|анутые|ануться|ануть|ет)$/,
];

/** Whole words that the masks («х*й», «п**да», «бл*ть») are compared against. */
const MASK_TARGETS: readonly string[] = [
  'хуй', 'хуя', 'хуе', 'хую', 'хуи', 'хуйня', 'нахуй', 'похуй', 'охуеть', 'охуел', 'нихуя', 'хуево', 'хуевый',
  'пизда', 'пизде', 'пизду', 'пиздец', 'пиздеж', 'пиздят', 'спиздили',
  'блядь', 'блять', 'бля', 'бляди', 'блядина',
  'ебать', 'ебал', 'ебаный', 'ебанутый', 'ебанько', 'заебал', 'заебали', 'уебок', 'уебище', 'наебали', 'выебываться',
  'сука', 'суки', 'мудак', 'мудаки', 'мудила', 'залупа', 'пидор', 'пидорас', 'пидоры', 'гандон', 'шлюха',
];

export interface ObsceneOptions {
  /** Tenant's additions to the shipped exclusion list (words a curator unrejected). */
  readonly exclusions?: ReadonlySet<string>;
}

function maskMatches(masked: string): boolean {
  const re = new RegExp(`^${masked.replace(/\*+/g, '[а-я]{1,3}')}$`);
  return MASK_TARGETS.some((w) => re.test(w));
}

// A mask usually hides one vowel of the root («х*й», «п*здец», «дроч*ры»).
const MASKED_LETTERS = ['а', 'е', 'и', 'о', 'у', 'ы', 'я', 'ю', 'й'];

function maskReadings(masked: string): string[] {
  const runs = masked.split(/\*+/);
  if (runs.length > 3) return [];
  let out = [runs[0]!];
  for (const part of runs.slice(1)) out = out.flatMap((prefix) => MASKED_LETTERS.map((l) => prefix + l + part));
  return out;
}

function rootMatches(word: string, exclusions?: ReadonlySet<string>): boolean {
  if (DEFAULT_OBSCENE_EXCLUSIONS.some((x) => word.startsWith(x)) || exclusions?.has(word)) return false;
  return matchesAny(word, OBSCENE_ROOTS);
}

export function isObsceneWord(word: string, exclusions?: ReadonlySet<string>): boolean {
  if (!word.includes('*')) return rootMatches(word, exclusions);
  if (word.replace(/\*/g, '').length < 2 || !/^[а-я]/.test(word)) return false;
  return maskMatches(word) || maskReadings(word).some((w) => rootMatches(w, exclusions));
}

// Short words that stand on their own; a word split in two by a space («пи зда», «ху йня»)
// is rejoined only when a piece is a short fragment that is not one of them.
const SHORT_WORDS = new Set([
  'в', 'во', 'на', 'и', 'не', 'ни', 'по', 'с', 'со', 'у', 'о', 'об', 'к', 'ко', 'а', 'до', 'за', 'из', 'от', 'же', 'ли', 'бы', 'то', 'ну',
  'да', 'мы', 'вы', 'он', 'я', 'ты', 'их', 'им', 'ее', 'его', 'она', 'оно', 'они', 'так', 'как', 'еще', 'уже', 'все', 'вот', 'тут', 'там',
  'где', 'кто', 'что', 'под', 'над', 'при', 'про', 'для', 'без', 'или', 'но', 'нет', 'раз', 'два', 'три', 'дом', 'сад', 'лес', 'мир', 'год',
]);

function isFragment(w: string): boolean {
  return w.length > 0 && w.length <= 3 && !SHORT_WORDS.has(w);
}

export function detectObscene(n: Normalized, options: ObsceneOptions = {}): RuleHit | null {
  const evidence: string[] = [];
  for (const t of n.tokens) {
    if (t.folded.some((w) => isObsceneWord(w, options.exclusions))) evidence.push(t.raw);
  }
  for (let i = 0; i + 1 < n.tokens.length; i++) {
    const a = n.tokens[i]!;
    const b = n.tokens[i + 1]!;
    const fa = a.folded[0] ?? '';
    const fb = b.folded[0] ?? '';
    if (!(isFragment(fa) || isFragment(fb)) || evidence.includes(a.raw) || evidence.includes(b.raw)) continue;
    if (a.folded.some((x) => b.folded.some((y) => isObsceneWord(x + y, options.exclusions)))) evidence.push(`${a.raw} ${b.raw}`);
  }
  return evidence.length > 0 ? hit('obscene', evidence) : null;
}
