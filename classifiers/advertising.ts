/**
 * Advertising and spam (001 [22]): selling, earnings offers, links to shops, phone
 * numbers in a selling context, invitations to subscribe. No single sign decides —
 * citizens write «звоните по телефону …, никто не берёт трубку» and «цена проезда 45
 * рублей» — so signs are scored and only a selling context adds up to a rejection. The
 * words live in lexicon/advertising.ts; prices, links and phones are found here. The same
 * text posted again and again is spam as well; the verdict assembly passes in how often
 * the repeat index has seen it.
 */
import { Lexicon, phraseSentence, type PhraseList } from './lexicon.js';
import ADVERTISING from './lexicon/advertising.js';
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { ownSentence, reportedTokens } from './words.js';

const LEXICON = new Lexicon('lexicon/advertising.ts', ADVERTISING, ['sell', 'earn', 'offer', 'invite', 'company', 'trait', 'service', 'complaint', 'report-spam', 'lost-found', 'borrow', 'owed']);

interface Sign {
  readonly phrases: PhraseList;
  readonly weight: number;
  /** An invitation to call or write, which a lost-and-found notice needs as much as a sale. */
  readonly reachesOwner?: boolean;
  /** A discount or a price, which a citizen asking whether one is owed names too. */
  readonly names?: boolean;
}

const SIGNS: readonly Sign[] = [
  { phrases: LEXICON.phraseList('sell'), weight: 2 },
  { phrases: LEXICON.phraseList('earn'), weight: 2 },
  { phrases: LEXICON.phraseList('offer'), weight: 2, names: true },
  { phrases: LEXICON.phraseList('invite'), weight: 1, reachesOwner: true },
  { phrases: LEXICON.phraseList('company'), weight: 2 },
];

// The weak signs of a seller's style: one point each, at most three, and none in a text
// that reads as a complaint or a request (a citizen may name a price and a guarantee).
const TRAIT: PhraseList = LEXICON.phraseList('trait');
const SERVICE: PhraseList = LEXICON.phraseList('service');
const COMPLAINT: PhraseList = LEXICON.phraseList('complaint');
const REPORT_SPAM: PhraseList = LEXICON.phraseList('report-spam');
// «Потерялся кобель … нашедшим звоните 8 912 …», «нашли ключи, пишите в личку»: the phone
// and the invitation reach the owner. Such a notice is advertising only by its other
// signs (selling, earning, a seller's style).
const LOST_FOUND: PhraseList = LEXICON.phraseList('lost-found');
const BORROW: PhraseList = LEXICON.phraseList('borrow');
// «Ветерану труда положена скидка на дрова? дрова 9 тысяч куб»: a question about a benefit,
// a discount or a tariff one is owed names the discount and the price without offering them.
// With a phone or a link it can be an advert's hook («Вам положена компенсация? звоните …»).
const OWED: PhraseList = LEXICON.phraseList('owed');
const WEAK_SIGNS_MAX = 3;

// An amount of earnings: «доход 40 000», «заработок от 3000», «зп до 90».
const EARNING = /(?:доход\S*|заработ\S*|зарплат\S*|зп|прибыл\S*|выплат\S*)\s*(?:от|до|в)?\s*\d/;

// A price or an earning: «1500 р», «от 3000 руб», «50к в месяц», «12 тыс», «90 т.р.».
const PRICE = /\d[\d\s]*(?:руб|р\.|р(?![а-я])|₽|тыс|т\.р|к в (?:день|неделю|месяц)|к(?![а-я]))|(?:в день|в неделю|в месяц) от \d|от \d[\d\s]*(?:руб\S*|р\.|₽|тыс\S*|к)?\s?в (?:день|неделю|месяц)/;

export interface AdvertisingContext {
  /** How many times the same text was seen lately, from this or other authors. */
  readonly sameTextCount?: number;
}

const NO_TOKENS: ReadonlySet<number> = new Set();

/** Score at which a message is advertising. */
export const AD_THRESHOLD = 3;
/** How many earlier near copies make a text with a link, a phone or a selling sign spam. */
export const SPAM_COPIES = 3;

export function advertisingScore(n: Normalized): { score: number; evidence: string[] } {
  // First readings undo look-alikes («пр0дам», «д0ставка»).
  const sentence = phraseSentence(n.tokens, NO_TOKENS);
  const all = scoreWords(n, sentence, n.text);
  if (all.score < AD_THRESHOLD) return all;
  // A complaint about spam quotes it: «бот пишет «заработок 5000 в день», удалите его». Its
  // signs count only in the author's own words.
  const reported = reportedTokens(n);
  if (reported.size === 0) return all;
  const own = ownSentence(n);
  if (REPORT_SPAM.find(own).length === 0) return all;
  const ownText = n.tokens.filter((_, i) => !reported.has(i)).map((t) => t.raw).join(' ');
  return scoreWords(n, own, ownText);
}

/** The signs in a sentence of first readings and the text the prices are read from. */
function scoreWords(n: Normalized, sentence: string, text: string): { score: number; evidence: string[] } {
  let score = 0;
  const evidence: string[] = [];
  const lostOrFound = LOST_FOUND.find(sentence).length > 0;
  // «у кого есть стремянка? пишите в лс, верну»: a thing lent between neighbours. A price
  // makes it a rental («дам на время перфоратор, 500 р в сутки»).
  const price = PRICE.exec(text);
  const borrowing = price === null && BORROW.find(sentence).length > 0;
  const askingOwed = text.includes('?') && n.phones.length === 0 && n.urls.length === 0 && OWED.find(sentence).length > 0;
  for (const s of SIGNS) {
    if ((lostOrFound || borrowing) && s.reachesOwner === true) continue;
    if (askingOwed && s.names === true) continue;
    // Two different offers in one sign («от производителя, бесплатный замер») count twice.
    const found = [...new Set(s.phrases.find(sentence))].slice(0, 2);
    score += s.weight * found.length;
    evidence.push(...found);
  }
  if (!borrowing && COMPLAINT.find(sentence).length === 0) {
    const weak = [...new Set([...TRAIT.find(sentence), ...SERVICE.find(sentence)])].slice(0, WEAK_SIGNS_MAX);
    score += weak.length;
    evidence.push(...weak);
  }
  const earning = EARNING.exec(text);
  if (earning) { score += 1; evidence.push(earning[0].trim()); }
  if (price && !askingOwed) { score += 1; evidence.push(price[0].trim()); }
  if (n.urls.length > 0) { score += 1; evidence.push(...n.urls); }
  if (n.urls.some((u) => /(?:t\.me|wa\.me|shop|store|market|ozon|wildberries|avito|clck|bit\.ly|goo\.gl|tinyurl|youtube|youtu\.be)/i.test(u))) score += 1;
  if (n.phones.length > 0 && !lostOrFound) { score += 1; evidence.push(...n.phones); }
  return { score, evidence };
}

export function detectAdvertising(n: Normalized, context: AdvertisingContext = {}): RuleHit | null {
  const { score, evidence } = advertisingScore(n);
  if (score >= AD_THRESHOLD) return hit('advertising', evidence);
  // A text posted over and over with a link or a phone number is spam whatever it says.
  if ((context.sameTextCount ?? 0) >= SPAM_COPIES && (n.urls.length > 0 || n.phones.length > 0 || score >= 2)) {
    return hit('advertising', [...evidence, `повторено ${context.sameTextCount} раз`]);
  }
  return null;
}
