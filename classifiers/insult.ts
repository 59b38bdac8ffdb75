/**
 * Insulting language (000 [3], 001 [22], 002 [12], 004 [3.6]): personal insults of
 * people, officials and groups.
 *
 * Two kinds of words. Some insult whoever they name («мразь», «дебил», «ублюдок»).
 * Others are ordinary words that insult only when aimed at a person («козёл», «вор»,
 * «клоун», «крысы»): a goat on the road or thieves in a garage are a complaint, «вы
 * воры» is an insult. Words the citizen quotes («сосед назвал меня дебилом») are theirs
 * to report, not an insult by them. Angry words about things («ужасная дорога»,
 * «бардак», «позор») are not insults at all.
 */
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { findTokens, OFFICIAL_TARGETS, reportedTokens, SECOND_PERSON, tokenMatches } from './words.js';
import { ownSentence } from './violence-lexicon.js';

export const INSULT_WORDS: readonly RegExp[] = [
  /^идиот(?!изм)/, /^дебил/, /^кретин(?:ы|ов|ам|ами|ка|ки)?$/, /^дегенерат/, /^придур/, /^ублюд/, /^мраз(?:ь|и|ей|ота|оты|отой)$/, /^твар(?:ь|и|ей|ям|ями)$/,
  /^урод(?:ы|ов|ам|ами|ина|ины|ище|ец|ца|цы)?$/, /^скот(?:ы|ов|ам|ами)$/, /^сволоч/, /^быдл/, /^чмо(?:$|шник|шн|ни)/, /^чмыр/, /^падл/,
  /^подон(?:ок|ки|ков|кам|ками)$/, /^негодя/, /^мерзав/, /^вырод(?:ок|ки|ков|кам|ками)$/, /^отморож?(?:ок|ки|ков|кам|ками)$/,
  /^отморозк/, /^дура(?:к|ки|ков|кам|ками|чье|чье|чина)?$/, /^дур(?:ра|ры|ынд)/, /^даун(?:ы|ов|ам)?$/, /^олух/, /^тупиц/, /^тупорыл/,
  /^тупоголов/, /^недоум(?:ок|ки|ков|кам|ка)$/, /^имбецил/, /^олигофрен(?:ы|ов|ам|ами|ка|ки)?$/, /^шалав/, /^лошар/, /^уебан/, /^ушлеп/, /^дармоед/, /^ворюг/, /^ворье$/,
  /^жулье$/, /^бездар(?:ь|и|ей)$/, /^холу(?:й|и|ев)$/, /^говнюк/, /^засранц/, /^засранец/, /^пидарас/, /^хач(?:и|ей|ам|ик|ики)?$/,
  /^жид(?:ы|ов|ам|овск)?$/, /^хохл(?:ы|ов|ам|ами|ушк|яцк)/, /^пиндос/, /^москал(?:и|ей|ям|ь)$/, /^кацап/, /^черножоп/, /^нерусь/,
  /^ничтожеств/, /^жирдя/, /^либераст/, /^педераст/, /^гомик/, /^долбоящер/, /^задрот/, /^лошпед/, /^мудозвон/, /^рашк(?:а|и|е|у)$/, /^сдохн(?:и|ите)$/, /^заткн(?:ись|итесь)$/, /^тупорыл/, /^долбан(?:ый|ая|ое|ые|ого|ых|утый|утая|утое|утые|утых)$/, /^пердун/, /^обмуд/, /^нищеброд/, /^упыр/, /^кровосос(?:ы|ов|ам|ами)?$/, /^паскуд/, /^выблядк/,
];

/** Words that insult only when pointed at a person or an office. */
export const TARGETED_INSULT_WORDS: readonly RegExp[] = [
  /^козл(?:ы|ов|ам|ами|ина)?$/, /^козел$/, /^вор(?:ы|ов|ам|ами)?$/, /^жулик(?:и|ов|ам|ами)?$/, /^клоун/, /^шут(?:ы|ов)?$/,
  /^баран(?:ы|ов|ам|ами)?$/, /^осл(?:ы|ов|ам)$/, /^осел$/, /^свинь(?:я|и|ей|ями)$/, /^крыс(?:а|ы)$/, /^шакал/, /^паразит(?:ы|ов)?$/,
  /^лох(?:и|ов|ам|ами)?$/, /^бездельник/, /^лентя(?:й|и|ев)$/, /^дур(?:а|ы)$/, /^тупы[еых]$/, /^тупой$/, /^тупая$/, /^животн(?:ое|ые)$/,
  /^бестолоч/, /^позорищ/, /^предател/, /^хамл/, /^хам(?:ы|ов|ам)?$/, /^уголовник/, /^бандит(?:ы|ов)?$/, /^мошенник/, /^скотин(?:а|ы|у|ой)$/, /^гнид(?:а|ы)$/, /^шавк(?:а|и)$/, /^овц(?:а|ы)$/, /^говн(?:о|ом|а|ище|юки)$/, /^петух(?:и|ов)?$/, /^гад(?:ы|ов|ина|ины)?$/, /^сучк(?:а|и)$/, /^жирн(?:ый|ая|ые)$/, /^чурк(?:а|и)$/, /^алкаш/, /^наркоман(?:ы|ов)?$/,
];

// Groups and people that a targeted word can be aimed at besides officials.
// Demonstratives are left out: «эти воры опять залезли в гараж» names thieves, not officials.
const PERSON_TARGETS: readonly RegExp[] = [...OFFICIAL_TARGETS, ...SECOND_PERSON];

/** Set phrases of abuse, on the author's own words (quotations blanked out). */
export const INSULT_PHRASES: readonly RegExp[] = [
  / (?:иди|идите|пошел|пошла|пошли|катись|катитесь|проваливай|проваливайте) (?:ты |вы )?(?:в жопу|в задницу|к черту|лесом|в пень)/,
  / (?:завали|закрой|заткни) (?:хлебало|пасть|варежку|рот|ебало)/, / чтоб(?:ы)? (?:ты|вы|он|она|они|все) (?:сдох|подох|сгни)/,
  / (?:чтоб|чтобы) (?:вам|тебе) пусто было/, / (?:руки|мозги) из жопы/, / (?:рожа|морда|харя) (?:твоя|ваша)/,
];

// Innocent words whose doubled letters, once squeezed, read as an insult (поддонок → подонок).
const INSULT_EXCLUSIONS: readonly RegExp[] = [/^поддон/, /^скотт/];

function excluded(n: Normalized, i: number): boolean {
  const first = n.tokens[i]!.folded[0] ?? '';
  return INSULT_EXCLUSIONS.some((re) => re.test(first));
}

export function detectInsult(n: Normalized): RuleHit | null {
  const reported = reportedTokens(n);
  const evidence: string[] = [];
  const sentence = ownSentence(n);
  for (const re of INSULT_PHRASES) {
    const m = re.exec(sentence);
    if (m) evidence.push(m[0].trim());
  }
  for (const i of findTokens(n, INSULT_WORDS)) {
    if (!reported.has(i) && !excluded(n, i)) evidence.push(n.tokens[i]!.raw);
  }
  const targeted = findTokens(n, TARGETED_INSULT_WORDS).filter((i) => !reported.has(i));
  // A word that opens the message as an address («Гниды, наживаетесь…») is aimed at the reader.
  if (targeted[0] === 0 && /^[^\s,!?.]+\s*[,!]/.test(n.text)) evidence.push(n.tokens[0]!.raw);
  if (targeted.length > 0) {
    // A targeted word counts when a person or office is named within a few words.
    for (const i of targeted) {
      const from = Math.max(0, i - 4);
      const to = Math.min(n.tokens.length - 1, i + 3);
      for (let j = from; j <= to; j++) {
        if (j !== i && !reported.has(j) && tokenMatches(n.tokens[j]!, PERSON_TARGETS)) { evidence.push(n.tokens[i]!.raw); break; }
      }
    }
  }
  return evidence.length > 0 ? hit('insult', evidence) : null;
}
