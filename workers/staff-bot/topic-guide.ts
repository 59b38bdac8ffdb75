import { guideEntry, guideNeighbours, NO_GUIDE_ENTRY, TOPIC_GUIDE_RULES } from '../../web/topic-guide.js';

/**
 * The topic guide in the staff bot. The curator chooses a topic on the card's topic list,
 * so that is where the guide goes: the «covers» of the suggested topic and of the two
 * closest to it, above the buttons. The whole guide is one command away (/topics), sent
 * as HTML in messages within Telegram's limit.
 */

/** Telegram refuses a message longer than this (Bot API, sendMessage `text`: 1-4096 characters). */
export const TELEGRAM_TEXT_LIMIT = 4096;

export interface GuideChoice {
  /** The classifier's topic. */
  readonly suggested: string | null;
  /** The model's runner-up. */
  readonly runnerUp: string | null;
  /** What the curator has chosen so far, if not the suggestion. */
  readonly selected: string | null;
  /** The tenant's topics: only those are offered, so only those are described. */
  readonly topics: readonly string[];
}

export interface GuideLine {
  readonly topic: string;
  readonly label: string;
  readonly covers: string;
}

/**
 * The suggested topic, then the two closest: the one the curator has picked, the model's
 * runner-up, and then the topics the guide names in the suggestion's «Не сюда» — the
 * neighbours people confuse it with.
 */
export function closestTopics(choice: GuideChoice): GuideLine[] {
  const anchor = choice.suggested ?? choice.selected;
  const order = [anchor, choice.selected, choice.runnerUp, ...(anchor ? guideNeighbours(anchor, choice.topics) : [])];
  const lines: GuideLine[] = [];
  for (const topic of order) {
    if (!topic || !choice.topics.includes(topic) || lines.some((l) => l.topic === topic)) continue;
    const label = topic === choice.suggested ? ' (предложена)' : topic === choice.selected ? ' (выбрана)' : '';
    lines.push({ topic, label, covers: guideEntry(topic)?.covers ?? NO_GUIDE_ENTRY });
    if (lines.length === 3) break;
  }
  return lines;
}

/** Cuts at a word boundary, with «…», so a shortened description still reads. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:—-]+$/, '')}…`;
}

const HEADING = 'Рубрикатор: тема — кто решает вопрос, а не насколько он опасен.';
const FOOTER = 'Весь рубрикатор: /topics';

/**
 * The guide block of the card's topic list, within `budget` characters: the card text
 * comes first, and when it is long the descriptions are shortened rather than the card cut.
 */
export function topicListGuide(choice: GuideChoice, budget: number): string {
  const lines = closestTopics(choice);
  const frame = [HEADING, FOOTER].join('\n').length + 1;
  const full = lines.map((l) => `• ${l.topic}${l.label}: ${l.covers}`);
  if (lines.length === 0 || frame + full.join('\n').length + 1 <= budget) return [HEADING, ...full, FOOTER].join('\n');
  const per = Math.floor((budget - frame) / lines.length) - 1;
  if (per < 60) return budget >= FOOTER.length ? FOOTER : '';
  return [HEADING, ...lines.map((l) => {
    const head = `• ${l.topic}${l.label}: `;
    return head + shorten(l.covers, per - head.length);
  }), FOOTER].join('\n');
}

// ---------------------------------------------------------------------------------------
// The whole guide, /topics

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** The three characters the Bot API's HTML parse mode wants escaped in text. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

interface Block {
  /** Bold, at the block's start (a topic's name, a heading). */
  readonly title: string;
  /** Plain text under it; escaped when rendered. */
  readonly body: string;
}

function renderBlock(block: Block): string {
  const title = block.title ? `<b>${escapeTelegramHtml(block.title)}</b>` : '';
  return [title, escapeTelegramHtml(block.body)].filter(Boolean).join('\n');
}

/** A block longer than a message is split between words; each part keeps its title. */
function splitBlock(block: Block, limit: number): string[] {
  const whole = renderBlock(block);
  if (whole.length <= limit) return [whole];
  const parts: string[] = [];
  let rest = block.body;
  let title = block.title;
  while (rest.length > 0) {
    const room = limit - renderBlock({ title, body: '' }).length - 1;
    // The longest prefix whose escaped text fits, then back to the last space in it.
    let take = 0;
    let size = 0;
    let lastSpace = -1;
    for (; take < rest.length; take++) {
      const add = escapeTelegramHtml(rest[take]!).length;
      if (size + add > room) break;
      size += add;
      if (rest[take] === ' ') lastSpace = take;
    }
    if (take < rest.length && lastSpace > 0) take = lastSpace;
    // Never between the two halves of a surrogate pair (an emoji in a tenant's topic name).
    if (take < rest.length && take > 1 && /[\uD800-\uDBFF]/.test(rest[take - 1]!)) take -= 1;
    take = Math.max(take, 1);
    parts.push(renderBlock({ title, body: rest.slice(0, take).trimEnd() }));
    rest = rest.slice(take).trimStart();
    title = block.title ? `${block.title} (продолжение)` : '';
  }
  return parts;
}

/** Blocks into as few messages as fit, each at most `limit` characters, never cutting a tag. */
export function chunkBlocks(blocks: readonly Block[], limit = TELEGRAM_TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const part of blocks.flatMap((b) => splitBlock(b, limit))) {
    if (current && current.length + 2 + part.length <= limit) current += `\n\n${part}`;
    else {
      if (current) chunks.push(current);
      current = part;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** The guide for a tenant's topics, as Telegram HTML messages (parse_mode HTML). */
export function topicGuideMessages(tenantTitle: string, topics: readonly string[], limit = TELEGRAM_TEXT_LIMIT): string[] {
  const blocks: Block[] = [
    { title: `Рубрикатор тем · ${tenantTitle}`, body: 'Общие правила:' },
    ...TOPIC_GUIDE_RULES.map((rule, i) => ({ title: '', body: `${i + 1}. ${rule}` })),
    ...topics.map((topic) => {
      const entry = guideEntry(topic);
      return { title: topic, body: entry ? `${entry.covers}\nНе сюда: ${entry.notHere}` : NO_GUIDE_ENTRY };
    }),
  ];
  return chunkBlocks(blocks, limit);
}
