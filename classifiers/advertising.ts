/**
 * Advertising and spam (001 [22]): selling, earnings offers, links to shops, phone
 * numbers in a selling context, invitations to subscribe. No single sign decides —
 * citizens write «звоните по телефону …, никто не берёт трубку» and «цена проезда 45
 * рублей» — so signs are scored and only a selling context adds up to a rejection.
 * The same text posted again and again is spam as well; the verdict assembly passes in
 * how often the repeat index has seen it.
 */
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';

interface Sign {
  readonly re: RegExp;
  readonly weight: number;
}

// Patterns run on the lower-cased text with URLs and phones cut out.
export const AD_SIGNS: readonly Sign[] = [
  { re: /(?:^|[^а-я])(?:продам|продаю|продается|продаются|продаем|куплю|покупаю|скупаю|скупаем|скупка|выкупаем|выкуп авто|сдам|сдаю|сдается|сниму квартиру)(?![а-я])/, weight: 2 },
  { re: /(?:^|[^а-я])(?:заработ(?:ок|ай|айте|ать)|(?:хочешь|хотите|начни|начните) зарабат\S*|доход от|пассивн\S* доход|инвестиц\S*|криптовалют\S*|биткоин\S*|работа на дому|удаленн\S* работ\S*|подработк\S*|без вложений|ставки на спорт|казино|букмекер\S*|микрозайм\S*|займ\S* (?:без|до|онлайн|под)|под залог (?:птс|авто|недвижимост)|одобрени\S* за|выигрыш\S*|ставк\S* на (?:спорт|футбол|матч)|кредит\S* без|одобрени\S* кредит\S*|списание долгов|банкротств\S* физ)/, weight: 2 },
  { re: /(?:^|[^а-я])(?:скидк\S*|распродаж\S*|промокод\S*|акция(?:!| до| только| действует)|недорого|дешево|выгодн\S* цен\S*|низк\S* цен\S*|по цене|цена от|от производителя|доставк\S* (?:бесплатн\S*|по городу|по району)|бесплатн\S* (?:доставк\S*|консультац\S*|замер\S*|выезд\S*)|гарантия качества|курс\S* (?:маникюр|массаж|английск|вождени)\S*|качественно и (?:быстро|недорого)|в наличии|опт(?:ом)?(?: и|,) розниц\S*|под ключ)/, weight: 2 },
  { re: /(?:^|[^а-я])(?:пиш(?:и|ите) (?:мне |нам )?(?:в )?(?:лс|личку|личные|директ|вотсап|ватсап|whatsapp|телеграм|тг)|звоните|обращайтесь|переходи(?:те)? по ссылке|ссылк\S* в (?:профиле|описании|шапке)|подписывайтесь|подпишись|вступайте|заказывайте|заказать можно|оформи(?:те)? заказ|жми|успей(?:те)?|торопитесь|ждем вас|приглашаем|записывайтесь|запись (?:в|по) (?:директ|лс|вотсап|телефону))(?![а-я])/, weight: 1 },
  { re: /\d[\d\s]*(?:руб|р\.|₽|тыс|т\.р|к в (?:день|неделю|месяц))|(?:в день|в неделю|в месяц) от \d|от \d[\d\s]*(?:руб\S*|р\.|₽|тыс\S*|к)?\s?в (?:день|неделю|месяц)|от \d+ ?(?:руб|р\.|₽|тыс)/, weight: 1 },
  { re: /(?:^|[^а-я])(?:наш(?:ем|его|у)? (?:магазин|канал|групп|сайт|салон|компани)\S*|в нашем|наша компания|мы предлагаем|предлагаем услуги|услуги (?:по|эвакуатора|грузчиков|сантехника|электрика)|вакансия|требуются|набираем|ищем сотрудников)/, weight: 2 },
];

const GLOBAL_SIGNS: readonly Sign[] = AD_SIGNS.map((s) => ({ re: new RegExp(s.re.source, 'g'), weight: s.weight }));

export interface AdvertisingContext {
  /** How many times the same text was seen lately, from this or other authors. */
  readonly sameTextCount?: number;
}

/** Score at which a message is advertising. */
export const AD_THRESHOLD = 3;

export function advertisingScore(n: Normalized): { score: number; evidence: string[] } {
  let score = 0;
  const evidence: string[] = [];
  // Look-alikes undone too («пр0дам», «д0ставка»); the raw text keeps prices and digits.
  const folded = n.tokens.map((t) => t.folded[0] ?? '').join(' ');
  for (const s of GLOBAL_SIGNS) {
    // Two different offers in one sign («от производителя, бесплатный замер») count twice.
    const found = new Set<string>();
    for (const text of [n.text, folded]) {
      for (const m of text.matchAll(s.re)) found.add(m[0].replace(/^[^а-я\d]+/, ''));
    }
    const distinct = [...found].slice(0, 2);
    score += s.weight * distinct.length;
    evidence.push(...distinct);
  }
  if (n.urls.length > 0) { score += 1; evidence.push(...n.urls); }
  if (n.urls.some((u) => /(?:t\.me|wa\.me|shop|store|market|ozon|wildberries|avito|clck|bit\.ly|goo\.gl|tinyurl)/i.test(u))) score += 1;
  if (n.phones.length > 0) { score += 1; evidence.push(...n.phones); }
  return { score, evidence };
}

export function detectAdvertising(n: Normalized, context: AdvertisingContext = {}): RuleHit | null {
  const { score, evidence } = advertisingScore(n);
  if (score >= AD_THRESHOLD) return hit('advertising', evidence);
  // A text posted over and over with a link or a phone number is spam whatever it says.
  if ((context.sameTextCount ?? 0) >= 3 && (n.urls.length > 0 || n.phones.length > 0 || score >= 2)) {
    return hit('advertising', [...evidence, `повторено ${context.sameTextCount} раз`]);
  }
  return null;
}
