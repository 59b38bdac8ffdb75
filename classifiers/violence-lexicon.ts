/**
 * Words of violence shared by the threat, harm-intent and call-to-violence rules. They
 * differ in grammar and target, not in vocabulary: «убью» is a threat to whoever is
 * addressed, «убейте их» a call, «хочу избить соседа» an intent to harm another person.
 */
import type { Normalized } from './normalize.js';
import { reportedTokens } from './words.js';

/** First person future, singular and plural: the speaker promises to do it. */
export const FIRST_PERSON_VIOLENCE: readonly RegExp[] = [
  /^(?:у|при|пере)бь(?:ю|ем)$/, /^(?:за|при|вы)реж(?:у|ем)$/, /^(?:при|за|пере|рас)стрел(?:ю|им|яю|яем)$/,
  /^(?:по|под)ожж?(?:гу|ем)$/, /^сожж?(?:гу|ем)$/, /^спал(?:ю|им)$/, /^взорв(?:у|ем)$/, /^уро(?:ю|ем)$/, /^закопа(?:ю|ем)$/,
  /^пореш(?:у|им)$/, /^замоч(?:у|им)$/, /^(?:при|за)душ(?:у|им)$/, /^удавл(?:ю|им)$/, /^покалеч(?:у|им)$/, /^изобь(?:ю|ем)$/,
  /^грохн(?:у|ем)$/, /^отравл(?:ю|им)$/, /^прикон(?:чу|чим)$/, /^(?:от|по)луп(?:лю|им)$/, /^пришь(?:ю|ем)$/, /^утоп(?:лю|им)$/,
  /^вздерн(?:у|ем)$/, /^четвертую$/, /^разорв(?:у|ем)$/, /^изуроду(?:ю|ем)$/, /^изувеч(?:у|им)$/, /^искалеч(?:у|им)$/,
  /^(?:по|на)бь(?:ю|ем)$/, /^отпизж(?:у|ем)$/, /^уничтож(?:у|им)$/, /^сгно(?:ю|им)$/, /^расчлен(?:ю|им)$/,
];

/** Infinitives of violence against people, for «хочу …», «надо …», «пора …». */
export const VIOLENT_INFINITIVES: readonly RegExp[] = [
  /^(?:у|из|по|при|пере)бить$/, /^(?:за|при|вы|пере)резать$/, /^(?:за|при|пере|рас)стрелять$/, /^(?:за|при)стрелить$/,
  /^(?:по|пере)?вешать$/, /^повесить$/, /^сжечь$/, /^спалить$/, /^поджечь$/, /^взорвать$/, /^отравить$/, /^покалечить$/,
  /^(?:за|при)душить$/, /^утопить$/, /^замочить$/, /^урыть$/, /^закопать$/, /^(?:ис|из)калечить$/, /^изувечить$/,
  /^линчевать$/, /^четвертовать$/, /^вздернуть$/, /^порешить$/, /^грохнуть$/, /^кастрировать$/, /^прикончить$/, /^уничтожить$/,
  /^мочить$/, /^резать$/, /^бить$/, /^вешать$/, /^стрелять$/, /^жечь$/, /^громить$/, /^разгромить$/, /^растерзать$/, /^казнить$/,
];

/** Infinitives that are violent only when a person is their object («повесить знак» is not). */
export const OBJECT_DEPENDENT: readonly RegExp[] = [
  /^повесить$/, /^сжечь$/, /^спалить$/, /^поджечь$/, /^взорвать$/, /^уничтожить$/, /^резать$/, /^бить$/, /^жечь$/,
  /^вешать$/, /^стрелять$/, /^утопить$/, /^закопать$/, /^громить$/, /^разгромить$/, /^отравить$/,
];

/** Private persons: harm aimed at them is «намерение причинить вред другому лицу» (002 [12]). */
export const PRIVATE_TARGETS: readonly RegExp[] = [
  /^сосед/, /^жен(?:у|ой|а)$/, /^муж(?:а|у|ем)$/, /^бывш/, /^его$/, /^ее$/, /^него$/, /^нее$/, /^водител/, /^алкаш/,
  /^этого$/, /^эту$/, /^ребенк/, /^свекр/, /^тещ/, /^брат/, /^сестр/, /^парн/, /^девушк/, /^мужик/, /^хозяин/, /^собственник/,
  /^гастарбайтер/, /^мигрант/, /^таксист/, /^продавц/, /^продавщиц/, /^охранник/, /^мальчишк/, /^подрост/, /^малолет/, /^гада$/,
  /^урода$/, /^козла$/, /^дворник/, /^их$/, /^того$/, /^тех$/, /^ему$/, /^ей$/,
];

/** First-person forms that are violent only with a person or office as object («сожгу мусор»). */
export const FIRST_PERSON_OBJECT_DEPENDENT: readonly RegExp[] = [
  /^сожж?(?:гу|ем)$/, /^спал(?:ю|им)$/, /^(?:по|под)ожж?(?:гу|ем)$/, /^отравл(?:ю|им)$/, /^уничтож(?:у|им)$/, /^утоп(?:лю|им)$/,
  /^взорв(?:у|ем)$/, /^разорв(?:у|ем)$/,
];

/**
 * The message with quotations and reported words blanked out, as one string of first
 * readings, for phrase patterns such as «тебе не жить» or «на вилы».
 */
const sentenceCache = new WeakMap<Normalized, string>();

export function ownSentence(n: Normalized): string {
  let s = sentenceCache.get(n);
  if (s === undefined) {
    const reported = reportedTokens(n);
    s = ' ' + n.tokens.map((t, i) => (reported.has(i) ? '_' : t.folded[0] ?? '_')).join(' ') + ' ';
    sentenceCache.set(n, s);
  }
  return s;
}
