// The pre-check of a draft: the regulations' reasons to return a draft (001 [12], [14],
// [15], [19]; 003 [8], [11]; 000 [16]), found before the curator sees it. The executor sees
// each finding at once and the curator reads it as advice: the curator may still edit and
// approve (001 [18]), so nothing here blocks a transition.
import { detectHarmIntent } from '../classifiers/harm-intent.js';
import { detectInsult } from '../classifiers/insult.js';
import { normalize } from '../classifiers/normalize.js';
import { detectObscene } from '../classifiers/obscene.js';
import { jaccard, shingles } from '../classifiers/repeat.js';
import { detectThreat } from '../classifiers/threat.js';
import type { RuleHit } from '../classifiers/types.js';
import { detectViolenceCall } from '../classifiers/violence-call.js';

export const DRAFT_KINDS = ['answer', 'interim', 'clarification', 'explanation'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

export const DRAFT_KIND_LABELS: Readonly<Record<DraftKind, string>> = {
  answer: 'ответ',
  interim: 'промежуточный ответ',
  clarification: 'запрос уточнения',
  explanation: 'разъяснение',
};

export type FindingCode =
  | 'empty'
  | 'too-long'
  | 'formal-only'
  | 'no-date'
  | 'disrespectful'
  | 'placeholder'
  | 'no-progress'
  | 'no-question';

export interface Finding {
  readonly code: FindingCode;
  /** Russian, shown to the executor as a fix to make and to the curator as advice. */
  readonly text: string;
  readonly clause: string;
  /** The words of the draft that caused it. */
  readonly evidence: readonly string[];
}

export interface DraftCheckInput {
  readonly text: string;
  readonly kind: DraftKind;
  /**
   * For an answer to a repeated message (001 [19], 003 [11]): the answer published to the
   * earlier incident, when there was one, to tell a copy from a report of progress.
   */
  readonly repeat?: { readonly earlierAnswer: string | null } | null;
}

/** 001 [12]: «с объёмом не более 2 абзацев». */
export const MAX_PARAGRAPHS = 2;

// `\b` in a JavaScript pattern knows only ASCII letters, even with the u flag: «\bдо\b»
// never matches. Every pattern below writes `\b` and is built through this.
const WORD_EDGE = '(?:(?<![\\p{L}\\p{N}])(?=[\\p{L}\\p{N}])|(?<=[\\p{L}\\p{N}])(?![\\p{L}\\p{N}]))';
function ru(re: RegExp): RegExp {
  const flags = re.flags.includes('u') ? re.flags : `${re.flags}u`;
  return new RegExp(re.source.replaceAll('\\b', WORD_EDGE), flags);
}
/** A repeat answer this close to the earlier one (Jaccard of word stems and pairs) reports nothing new. */
const SAME_ANSWER_SIMILARITY = 0.75;

// A greeting or address on its own line is how answers in VK and OK begin; it is not a paragraph.
const GREETING_LINE = /^(?:здравствуйте|добрый\s+(?:день|вечер|утро)|доброе\s+утро|уважаем\p{L}*|приветствуем)[\p{L}\s,.!-]*$/iu;
const SIGNATURE_LINE = /^(?:с\s+уважением|администрация\b)[\p{L}\s,.«»"-]*$/iu;
// A list item continues the paragraph it belongs to.
const LIST_ITEM = /^(?:[-–—•*]|\d{1,2}[.)])\s/;

export function paragraphs(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (GREETING_LINE.test(line) && line.split(/\s+/).length <= 5) continue;
    if (SIGNATURE_LINE.test(line) && line.split(/\s+/).length <= 8) continue;
    if (LIST_ITEM.test(line) && out.length > 0) out[out.length - 1] += `\n${line}`;
    else out.push(line);
  }
  return out;
}

// Sentences that acknowledge without saying anything about the matter (001 [12]: «исключительно
// по сути вопросов»; 003 [8]: measures taken, stages and dates, or why it cannot be solved).
const FORMAL_SENTENCES: readonly RegExp[] = [
  /^(?:здравствуйте|добрый\s+(?:день|вечер)|доброе\s+утро|уважаем\p{L}*)[\p{L}\s,-]*$/iu,
  /^(?:спасибо|благодарим)\b/iu,
  /^(?:ваше|ваш)\s+(?:обращение|сообщение|вопрос|комментарий|жалоба)\s+(?:принят[оа]?|получен[оа]?|зарегистрирован[оа]?|рассмотрен[оа]?|передан[оа]?|направлен[оа]?|будет\s+рассмотрен[оа]?|находится\s+на\s+(?:рассмотрении|контроле))/iu,
  /^(?:информация|сведения)\s+принят[аы]\s+(?:к\s+сведению|во\s+внимание|в\s+работу)/iu,
  /^(?:вопрос|ситуация|проблема)\s+(?:находится\s+на\s+контроле|взят[аo]?\s+на\s+контроль|рассматривается|изучается)/iu,
  /^(?:обращение|сообщение|информация)\s+(?:передан[аоы]?|направлен[аоы]?)\s+(?:в|специалистам|ответственным|в\s+профильн)/iu,
  /^(?:с\s+уважением|администрация\b)/iu,
  /^(?:мы\s+)?(?:разберемся|разберёмся|примем\s+меры|отреагируем)\.?$/iu,
].map(ru);

/** Words after a formal opening that still say nothing: «передано в профильный отдел». */
const FORMAL_TAIL_WORDS = 4;

/**
 * A sentence that is formal from start to end. «Ваше обращение рассмотрено, яма засыпана
 * 2 декабря» opens formally and then says what was done: that is substance.
 */
function isFormal(sentence: string): boolean {
  return FORMAL_SENTENCES.some((re) => {
    const m = re.exec(sentence);
    if (!m || m.index !== 0) return false;
    const tail = sentence.slice(m[0].length);
    return !/\d/.test(tail) && (tail.match(/\p{L}+/gu) ?? []).length <= FORMAL_TAIL_WORDS;
  });
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\r?\n+/)
    .map((s) => s.trim().replace(/[.!?…]+$/u, '').trim())
    .filter((s) => /\p{L}/u.test(s));
}

// Promises of an action to come (001 [12]: «с конкретными (или планируемыми) сроками»).
const PROMISE: readonly RegExp[] = [
  /\bбуд(?:ет|ут)\s+\p{L}+/iu,
  /\b(?:планируется|запланирован\p{L}*|предусмотрен\p{L}*|намечен\p{L}*)\b/iu,
  /\b(?:в\s+ближайшее\s+время|в\s+скором\s+времени|в\s+ближайшие\s+сроки|по\s+мере\s+(?:финансирования|возможности|поступления)|в\s+порядке\s+очер[её]дности|после\s+(?:выделения|поступления|согласования))\b/iu,
  /\b(?:выполним|проведём|проведем|устраним|отремонтируем|заменим|установим|уберём|уберем|вывезем|восстановим)\b/iu,
].map(ru);
// Phrases that read as a date but name none: they make a promise vague, not concrete.
const VAGUE_TERM = ru(/\b(?:в\s+ближайшее\s+время|в\s+скором\s+времени|в\s+ближайшие\s+сроки|по\s+мере\s+(?:финансирования|возможности|поступления)|в\s+порядке\s+очер[её]дности)\b/iu);
const MONTHS = '(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)\\p{L}*';
const DATE_PATTERNS: readonly RegExp[] = [
  /\b\d{1,2}\.\d{1,2}(?:\.\d{2,4})?\b/u,
  new RegExp(`\\b\\d{1,2}\\s+${MONTHS}`, 'iu'),
  new RegExp(`\\b(?:в|до|к|с|начиная\\s+с|конц[аеу]\\s+)\\s*${MONTHS}`, 'iu'),
  /\b(?:до|к)\s+конц[ау]\s+(?:этой\s+|текущей\s+|следующей\s+)?(?:недели|месяца|года|квартала)\b/iu,
  /\b(?:в|во)\s+(?:I{1,3}V?|IV|[1-4]|перв\p{L}+|втор\p{L}+|трет\p{L}+|четв[её]рт\p{L}+)\s+квартал\p{L}*/iu,
  /\b(?:в|до)\s+(?:20\d\d)\s*(?:г\.?|год\p{L}*)/iu,
  /\b(?:сегодня|завтра|послезавтра)\b/iu,
  /\b(?:в|во|до)\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b/iu,
  /\bв\s+течение\s+(?:\d+|одн\p{L}+|дв\p{L}+|тр[её]х|пяти|десяти|недели|месяца)\s*(?:рабоч\p{L}+\s+)?(?:дн\p{L}*|недел\p{L}*|месяц\p{L}*|час\p{L}*)?/iu,
  /\b(?:на\s+этой|на\s+следующей)\s+неделе\b/iu,
  /\b(?:летом|осенью|весной|зимой)\b/iu,
].map(ru);

// Past or current measures: what an answer to a repeated message must report (001 [19], 003 [11]).
const PROGRESS: readonly RegExp[] = [
  /\b(?:выполнен\p{L}*|проведен\p{L}*|проведён\p{L}*|устранен\p{L}*|устранён\p{L}*|отремонтирован\p{L}*|заменен\p{L}*|заменён\p{L}*|установлен\p{L}*|заключ[её]н\p{L}*|включ[её]н\p{L}*|направлен\p{L}*|вывезен\p{L}*|начат\p{L}*|завершен\p{L}*|завершён\p{L}*|закуплен\p{L}*|выдан\p{L}*)\b/iu,
  /\b(?:на\s+сегодняшний\s+день|в\s+настоящее\s+время|на\s+данный\s+момент|уже)\b/iu,
  /\b(?:ведутся|идут|продолжаются|выполняются|проводятся)\b/iu,
  /\b(?:выезжал\p{L}*|выехал\p{L}*|выходил\p{L}*|вышл\p{L}*|обследовал\p{L}*|осмотрел\p{L}*|пров[её]л\p{L}*|выполнил\p{L}*|устранил\p{L}*|заменил\p{L}*|отремонтировал\p{L}*|заключил\p{L}*|направил\p{L}*|начал\p{L}*|завершил\p{L}*|убрал\p{L}*|вывез\p{L}*|установил\p{L}*|подготовил\p{L}*|получил\p{L}*)\b/iu,
].map(ru);

// Blanks of a template left unfilled: the draft does not yet say what [12] asks, so [14] returns it.
const PLACEHOLDERS: readonly RegExp[] = [
  // VK mentions «[id123|Имя]» are links, not blanks.
  /\[(?!(?:id|club|public)\d+\|)[^\]\n]{0,40}\]/giu,
  /\{[^}\n]{0,40}\}/gu,
  /<[^>\n]{1,40}>/gu,
  /[XxХх]{2}\.[XxХх]{2}(?:\.[XxХх0-9]{2,4})?/gu,
  /_{3,}/gu,
  /\.{4,}/gu,
  /(?<![\p{L}])(?:ФИО|Ф\.И\.О\.?)(?![\p{L}])/gu,
  /\((?:указать|вставить|уточнить|дата|адрес|номер)[^)\n]{0,40}\)/giu,
];

// Rudeness of an official to a citizen that the rules for citizens' messages do not cover (001 [14]).
const DISMISSIVE: readonly RegExp[] = [
  /\bне\s+ваше\s+дело\b/iu,
  /\b(?:вам\s+уже\s+(?:отвечали|ответили|писали|объясняли)|сколько\s+можно\s+(?:повторять|писать|объяснять))\b/iu,
  /\b(?:читайте|читать)\s+(?:внимательнее|не\s+умеете)\b/iu,
  /\bсами\s+виноват\p{L}*\b/iu,
  /\b(?:хватит|перестаньте|прекратите)\s+(?:писать|жаловаться|флудить|отвлекать)\b/iu,
  /\bне\s+(?:пишите|отвлекайте)\s+(?:сюда|нас|больше)\b/iu,
  /\b(?:это\s+)?ваши\s+проблемы\b/iu,
  /\bнечего\s+(?:жаловаться|возмущаться|писать)\b/iu,
  /\bнадо\s+было\s+(?:думать|раньше)\b/iu,
  /\bне\s+выдумывайте\b/iu,
].map(ru);

function matchAll(text: string, patterns: readonly RegExp[]): string[] {
  const out: string[] = [];
  for (const re of patterns) {
    const m = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    for (const hit of text.matchAll(m)) out.push(hit[0].trim());
  }
  return [...new Set(out)];
}

function hasDate(text: string): boolean {
  return DATE_PATTERNS.some((re) => re.test(text));
}

/** The classifiers' rules for messages (issue 5) applied to the draft (001 [14]). */
export function toneHits(text: string): RuleHit[] {
  const n = normalize(text);
  return [detectObscene(n), detectInsult(n), detectThreat(n), detectViolenceCall(n), detectHarmIntent(n)].filter(
    (h): h is RuleHit => h !== null,
  );
}

const finding = (code: FindingCode, text: string, clause: string, evidence: readonly string[] = []): Finding => ({ code, text, clause, evidence });

export function checkDraft(input: DraftCheckInput): Finding[] {
  const text = input.text.trim();
  if (!/\p{L}/u.test(text)) {
    return [finding('empty', 'Текст ответа пуст: напишите ответ по существу вопроса.', '001 [12]; 003 [8]')];
  }
  const out: Finding[] = [];

  const paras = paragraphs(text);
  if (paras.length > MAX_PARAGRAPHS) {
    out.push(finding('too-long', `В ответе ${paras.length} абзаца(ев), допускается не более ${MAX_PARAGRAPHS}: сократите до сути вопроса.`, '001 [12]', [paras[MAX_PARAGRAPHS]?.slice(0, 60) ?? '']));
  }

  const all = sentences(text);
  const substantive = all.filter((s) => !isFormal(s));
  if (substantive.length === 0 && input.kind !== 'clarification') {
    out.push(
      finding(
        'formal-only',
        'Ответ формальный: в нём нет информации по существу вопроса — о принятых мерах, этапах и сроках решения или обоснования, почему вопрос не может быть решён.',
        '001 [12]; 003 [8]',
        all.slice(0, 2),
      ),
    );
  }

  // 001 [15]: an interim answer states when the final one will come; 001 [12]: a promise carries its date.
  const promises = matchAll(text, PROMISE);
  const vague = matchAll(text, [VAGUE_TERM]);
  if (!hasDate(text)) {
    if (input.kind === 'interim') {
      out.push(finding('no-date', 'В промежуточном ответе не указан срок, к которому будет дан окончательный ответ или решён вопрос.', '001 [15]; 000 [15]', vague));
    } else if (input.kind === 'answer' && promises.length > 0) {
      out.push(
        finding(
          'no-date',
          'Ответ обещает действие, но не называет конкретного или планируемого срока: укажите дату или период (например, «до 15 декабря»).',
          '001 [12]; 003 [8]',
          [...new Set([...vague, ...promises])].slice(0, 4),
        ),
      );
    }
  }

  const tone = toneHits(text);
  const dismissive = matchAll(text, DISMISSIVE);
  if (tone.length > 0 || dismissive.length > 0) {
    const labels = tone.map((h) => h.label.toLowerCase());
    out.push(
      finding(
        'disrespectful',
        `Ответ изложен в неуважительной форме${labels.length > 0 ? ` (${labels.join(', ')})` : ''}: перепишите в вежливом тоне.`,
        '001 [14]',
        [...tone.flatMap((h) => h.evidence), ...dismissive],
      ),
    );
  }

  const blanks = PLACEHOLDERS.flatMap((re) => [...text.matchAll(re)].map((m) => m[0]));
  if (blanks.length > 0) {
    out.push(finding('placeholder', `В ответе остались незаполненные места шаблона: ${[...new Set(blanks)].map((b) => `«${b}»`).join(', ')}.`, '001 [12, 14]', [...new Set(blanks)]));
  }

  if (input.kind === 'clarification' && !text.includes('?') && !ru(/\b(?:уточните|сообщите|укажите|напишите|пришлите|направьте)\b/i).test(text)) {
    out.push(finding('no-question', 'В запросе уточнения нет вопроса к автору: напишите, какие сведения нужны (адрес, подробности).', '001 [17]'));
  }

  if (input.repeat && (input.kind === 'answer' || input.kind === 'interim')) {
    const earlier = input.repeat.earlierAnswer;
    const copy = earlier ? jaccard(shingles(earlier), shingles(text)) >= SAME_ANSWER_SIMILARITY : false;
    // «будет проведён» promises; only what has been done or is under way is progress.
    const reported = PROMISE.reduce((acc, re) => acc.replace(new RegExp(re.source, `${re.flags.replace('g', '')}g`), ' '), substantive.join('. '));
    const progress = matchAll(reported, PROGRESS);
    if (copy || progress.length === 0) {
      out.push(
        finding(
          'no-progress',
          copy
            ? 'Ответ на повторное сообщение почти повторяет прежний ответ: сообщите о принятых мерах или о ходе решения вопроса.'
            : 'Ответ на повторное сообщение не сообщает о принятых мерах или о ходе решения вопроса.',
          '001 [19]; 003 [11]',
        ),
      );
    }
  }
  return out;
}

/** A finding as stored in `drafts[].findings` (a list of strings in the store model). */
export function findingLine(f: Finding): string {
  return `${f.code}: ${f.text} (${f.clause})`;
}
