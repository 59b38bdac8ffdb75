/**
 * Calls to violence or to the overthrow of the government (001 [22]): imperatives of
 * violence («бейте», «жгите»), «надо/пора + расстрелять», the set phrases of lynching
 * («на вилы», «к стенке», «на фонарях»), and calls to seize or overthrow power.
 * Words that are violent only with a person as object («повесить», «сжечь») need one
 * («надо повесить знак» and «пора сжечь листья» are not calls).
 */
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { OBJECT_DEPENDENT, ownSentence, VIOLENT_INFINITIVES } from './violence-lexicon.js';
import { findTokens, OFFICIAL_TARGETS, reportedTokens, tokenMatches } from './words.js';

export const VIOLENT_IMPERATIVES: readonly RegExp[] = [
  /^бейте$/, /^(?:у|пере)бейте$/, /^убивайте$/, /^(?:за|)режьте$/, /^(?:со|под|по)?жгите$/, /^(?:раз)?громите$/, /^вешайте$/,
  /^(?:пере)?вешайте$/, /^(?:рас)?стреляйте$/, /^расстреливайте$/, /^мочите$/, /^взрывайте$/, /^взорвите$/, /^крушите$/,
  /^штурмуйте$/, /^душите$/, /^поджигайте$/, /^линчуйте$/, /^бей$/,
];

/** Imperatives that are violent only with a person or office as object («вешайте объявления»). */
// Also «бей по воротам», «стреляйте по мишеням», «душите бельё»: only killing and lynching
// are violent whatever follows them.
const IMPERATIVE_OBJECT_DEPENDENT: readonly RegExp[] = [
  /^(?:пере)?вешайте$/, /^(?:со|под|по)?жгите$/, /^взрывайте$/, /^взорвите$/, /^(?:за|)режьте$/, /^крушите$/, /^(?:раз)?громите$/, /^поджигайте$/,
  /^бей$/, /^бейте$/, /^(?:рас)?стреляйте$/, /^мочите$/, /^душите$/, /^штурмуйте$/,
];

const MODAL = /^(?:надо|нужно|пора|следует|стоит|должны|необходимо|предлагаю|давайте|давай|айда|пойдем|идем|выйдем|можно|хорошо|бы|всех|пусть)$/;

/** Persons and groups a call can be aimed at, beyond officials. */
const CALL_TARGETS: readonly RegExp[] = [...OFFICIAL_TARGETS, /^(?:их|всех|этих|эту|этого|тварей|гадов|уродов|воров|мразей)$/, /^люд/];

export const CALL_PHRASES: readonly RegExp[] = [
  / на (?:вилы|кол|колья|фонари|фонарях|фонарь|столбах|березах|осинах|виселицу|гильотину)(?: |$)/,
  / (?:их|всех|этих|всю|весь) (?:\S+ )?(?:к стенке|к стенке|под расстрел|на нары и под расстрел)/, / к стенке (?:их|всех|этих|всю|чиновник)/,
  / смерть (?:чиновник|власт|администрац|мэр|глав|депутат|единорос|мент|полиц|губернатор|правительств|кремл|путин|режим)\S*/,
  / (?:свергнуть|свергать|свергнем|свергаем|сбросить власть|снести власть|снесем власть)/,
  // The noun only with a call: «призываю к свержению», not a rule that names such calls.
  / (?:призываю|призываем|даешь|требуем|за) (?:\S+ )?свержени/,
  / (?:захватить|захватим|захватывайте|захватываем) (?:власть|администрацию|мэрию|здание|здания)/,
  / вооруж\S* (?:восстани\S*|переворот\S*|борьб\S*|сопротивлени\S*)/, / (?:восстани\S*|переворот\S*|бунт\S*) (?:пора|нужен|нужна|надо)/,
  / (?:нужна|пора|устроим|устроить|делать|даешь|нужен|пора устроить) (?:революци\S*|майдан\S*|бунт\S*|переворот\S*|восстани\S*)/,
  / (?:штурм|штурмом|штурмовать|штурмуем|взять штурмом) (?:администраци\S*|мэри\S*|здани\S*|кремл\S*)/,
  / (?:возьмем|взять|берем|брать|возьмите|берите) (?:\S+ )?штурмом/,
  / (?:выходи|выходите|выйдем|пошли|идем) (?:с|со) (?:оружием|вилами|топорами|битами|арматурой|коктейлями)/,
  / (?:бери|берите|берем|возьмем|возьмите|брать|взять) (?:в руки )?(?:оружие|вилы|топоры|биты|арматуру|стволы|коктейли)/,
  / (?:перевешать|перестрелять|вздернуть|линчевать|расстрелять|четвертовать) /,
];

export function detectViolenceCall(n: Normalized): RuleHit | null {
  const reported = reportedTokens(n);
  const evidence: string[] = [];
  const targeted = findTokens(n, CALL_TARGETS).some((i) => !reported.has(i));
  for (const i of findTokens(n, VIOLENT_IMPERATIVES)) {
    if (reported.has(i) || (!targeted && tokenMatches(n.tokens[i]!, IMPERATIVE_OBJECT_DEPENDENT))) continue;
    const next = n.tokens[i + 1]?.folded[0] ?? '';
    // «бей тревогу» is an idiom, not a call.
    if (/^тревог/.test(next)) continue;
    evidence.push(n.tokens[i]!.raw);
  }
  for (const i of findTokens(n, VIOLENT_INFINITIVES)) {
    if (reported.has(i)) continue;
    if (tokenMatches(n.tokens[i]!, OBJECT_DEPENDENT) && !targeted) continue;
    // The modal word may follow the infinitive too: «депутатов вешать надо», «сжечь бы».
    for (let j = Math.max(0, i - 3); j <= Math.min(n.tokens.length - 1, i + 3); j++) {
      if (j !== i && n.tokens[j]!.folded.some((w) => MODAL.test(w))) { evidence.push(`${n.tokens[j]!.raw} ${n.tokens[i]!.raw}`); break; }
    }
  }
  // An infinitive opening the message is an order: «Сжечь мэрию!», «Всех расстрелять!».
  const first = n.tokens.findIndex((t) => !/^(?:всех|их|этих|вот|так|да|просто)$/.test(t.folded[0] ?? ''));
  if (first >= 0 && first <= 2 && targeted && !reported.has(first) && tokenMatches(n.tokens[first]!, VIOLENT_INFINITIVES)) {
    evidence.push(n.tokens[first]!.raw);
  }
  const sentence = ownSentence(n);
  for (const re of CALL_PHRASES) {
    const m = re.exec(sentence);
    if (m) evidence.push(m[0].trim());
  }
  return evidence.length > 0 ? hit('violence-call', evidence) : null;
}
