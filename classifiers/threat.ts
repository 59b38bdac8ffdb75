/**
 * Threats to the life, health or property of officials and their families, and to state
 * bodies (001 [22], 002 [12], 004 [3.6]). A message to the administration that promises
 * violence in the first person («убью», «сожжём») or in the set phrases of threat
 * («тебе не жить», «кровью умоетесь») is a threat to whoever it addresses, unless it
 * names a private person as the target: that is harm-intent.ts. Threats the citizen
 * reports receiving («сосед кричит: убью») are quoted and do not count.
 */
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import {
  FIRST_PERSON_OBJECT_DEPENDENT, FIRST_PERSON_VIOLENCE, OBJECT_DEPENDENT, ownSentence, PRIVATE_TARGETS, VIOLENT_INFINITIVES,
} from './violence-lexicon.js';
import { findTokens, OFFICIAL_TARGETS, reportedTokens, SECOND_PERSON, tokenMatches } from './words.js';

export const THREAT_PHRASES: readonly RegExp[] = [
  / (?:тебе|вам|тебе|ему|им) (?:не жить|конец|хана|крышка|капец|пиздец|не поздоровится|мало не покажется)/,
  / не жить (?:тебе|вам)/, / (?:кровью|кровью своей) (?:умоетесь|умоешься|ответишь|ответите|заплатишь|заплатите)/,
  / (?:кишки|мозги) (?:выпущу|вышибу|вынесу)/, / (?:голову|башку|бошку|руки|ноги|челюсть|морду|рожу|шею) (?:\S+ )?(?:оторву|откручу|отрежу|сверну|переломаю|сломаю|поотрываю|разобью|набью|начищу)/,
  / (?:знаю|знаем|найду|найдем|узнаю|узнаем|выясню|выясним) где (?:ты|вы|он|она|глава|мэр|твоя семья|твои дети|ваши дети) (?:живешь|живете|живет|живут|учатся)/,
  / (?:знаю|знаем|найду|найдем|узнаю|узнаем|выясню|выясним) где (?:живешь|живете|живет|живут|учатся) (?:ты|вы|твои|ваши|ваш|твой|глава|мэр)/, / пулю в (?:лоб|голову|башку)/,
  / (?:тебя|вас) (?:найду|найдем|достану|достанем|выследим|выслежу)(?: |$)/, / (?:найду|найдем|достану|достанем|выслежу|выследим) (?:тебя|вас)(?: |$)/,
  / красного петуха/, / (?:дом|машину|квартиру|дачу|кабинет|здание|администрацию|мэрию) (?:сожгу|подожгу|спалю|взорву|разнесу|сожжем|подожжем|взорвем|разнесем)/,
  / (?:сожгу|подожгу|спалю|взорву|разнесу|сожжем|подожжем|взорвем|разнесем) (?:ваш|твой|твою|вашу|ваши|дом|машину|кабинет|здание|администрацию|мэрию)/,
  / (?:до вас|до тебя|до него|до главы|до мэра) (?:доберусь|доберемся)/, / (?:доберусь|доберемся) до (?:вас|тебя|него|главы|мэра|администрации|каждого)/, / (?:ждите|жди) (?:гостей|беды|расплаты)/,
  / (?:пожалеете|пожалеешь) что (?:родились|родился|на свет)/, / (?:вашим|твоим) (?:детям|детишкам|семьям|семье|родным) (?:не поздоровится|конец|не жить|плохо будет)/,
  / (?:с|со) (?:ружьем|топор\S*|обрез\S*|ствол\S*|бит\S*|канистр\S*|автомат\S*|оружием|гранат\S*|пистолет\S*|нож\S*) (?:приду|придем|зайду|зайдем|заявлюсь|явлюсь|пойду|пойдем|приеду|приедем)/,
  / (?:приду|придем|зайду|зайдем|заявлюсь|явлюсь|пойду|пойдем|приеду|приедем)(?: \S+){0,3} (?:с|со) (?:ружьем|топор\S*|обрез\S*|ствол\S*|бит\S*|канистр\S*|автомат\S*|оружием|гранат\S*|пистолет\S*|нож\S*)/,
];

const WANT = /^(?:хочу|хотим|собираюсь|собираемся|намерен|намерены|решил|решили|готов|готовы|буду|будем|пойду|пойдем|иду|идем)$/;

export type Target = 'official' | 'private' | 'none';

/** Who the violence is aimed at: an official or body, a private person, or no one named. */
export function violenceTarget(n: Normalized): Target {
  const reported = reportedTokens(n);
  const own = (idx: number[]): boolean => idx.some((i) => !reported.has(i));
  if (own(findTokens(n, OFFICIAL_TARGETS)) || own(findTokens(n, SECOND_PERSON))) return 'official';
  if (own(findTokens(n, PRIVATE_TARGETS))) return 'private';
  return 'none';
}

/** The author's own words of violence: promises, set phrases, «хочу/буду + убить». */
export function violenceEvidence(n: Normalized): string[] {
  const reported = reportedTokens(n);
  const evidence: string[] = [];
  const aimed = violenceTarget(n) !== 'none';
  for (const i of findTokens(n, FIRST_PERSON_VIOLENCE)) {
    if (reported.has(i) || (!aimed && tokenMatches(n.tokens[i]!, FIRST_PERSON_OBJECT_DEPENDENT))) continue;
    evidence.push(n.tokens[i]!.raw);
  }
  for (const i of findTokens(n, VIOLENT_INFINITIVES)) {
    if (reported.has(i) || (!aimed && tokenMatches(n.tokens[i]!, OBJECT_DEPENDENT))) continue;
    for (let j = Math.max(0, i - 3); j < i; j++) {
      if (n.tokens[j]!.folded.some((w) => WANT.test(w))) { evidence.push(`${n.tokens[j]!.raw} ${n.tokens[i]!.raw}`); break; }
    }
  }
  const sentence = ownSentence(n);
  for (const re of THREAT_PHRASES) {
    const m = re.exec(sentence);
    if (m) evidence.push(m[0].trim());
  }
  return evidence;
}

export function detectThreat(n: Normalized): RuleHit | null {
  const evidence = violenceEvidence(n);
  if (evidence.length === 0) return null;
  // Addressed to the administration, a threat without a named private target is a threat to it.
  return violenceTarget(n) === 'private' ? null : hit('threat', evidence);
}
