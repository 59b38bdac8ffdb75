// One year of the production calendar in the xmlcalendar.ru format, read and checked so
// that an admin can add a year (2027…) without a release. Pure: text in, a year or the
// list of problems with their lines out.
//
//   <calendar year="2025" lang="ru" country="ru">
//     <holidays><holiday id="1" title="Новогодние каникулы"/>…</holidays>
//     <days>
//       <day d="01.01" t="1" h="1"/>          t=1 day off
//       <day d="03.07" t="2"/>                t=2 shortened working day
//       <day d="11.01" t="3"/>                t=3 working weekend day
//     </days>
//   </calendar>
//
// Saturdays and Sundays not listed are days off; weekdays not listed are working days.
import { isRealDate, weekdayOf, type CalendarDay, type CalendarYear } from './calendar.js';

export interface XmlProblem {
  line: number;
  message: string;
}

export class CalendarXmlError extends Error {
  override readonly name = 'CalendarXmlError';
  constructor(readonly file: string, readonly problems: XmlProblem[]) {
    super(problems.map((p) => `${file}:${p.line}: ${p.message}`).join('\n'));
  }
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attributes: Map<string, string>;
  line: number;
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function tokenize(text: string, problems: XmlProblem[]): Tag[] {
  const starts = lineStarts(text);
  const tags: Tag[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const between = text.slice(i, lt === -1 ? text.length : lt);
    if (between.trim() !== '') {
      const offset = i + between.search(/\S/);
      problems.push({ line: lineOf(starts, offset), message: `unexpected text "${between.trim().slice(0, 30)}"` });
    }
    if (lt === -1) break;
    TOKEN.lastIndex = lt;
    const m = TOKEN.exec(text);
    if (!m) {
      const end = text.indexOf('>', lt);
      problems.push({ line: lineOf(starts, lt), message: `malformed tag ${text.slice(lt, end === -1 ? lt + 30 : Math.min(end + 1, lt + 60)).split('\n')[0]}` });
      if (end === -1) break;
      i = end + 1;
      continue;
    }
    i = TOKEN.lastIndex;
    if (m[2] === undefined) continue; // comment or declaration
    const attributes = new Map<string, string>();
    for (const a of (m[3] ?? '').matchAll(ATTRIBUTE)) attributes.set(a[1] ?? '', a[2] ?? a[3] ?? '');
    tags.push({ name: m[2], closing: m[1] === '/', selfClosing: m[4] === '/', attributes, line: lineOf(starts, lt) });
  }
  return tags;
}

/** Parse one year; throws CalendarXmlError listing every problem with its line. */
export function parseCalendarXml(text: string, file = 'calendar.xml'): CalendarYear {
  const problems: XmlProblem[] = [];
  const tags = tokenize(text.replace(/^\uFEFF/, ''), problems);
  const stack: Tag[] = [];
  let year: number | undefined;
  let sawCalendar = false;
  const titles = new Map<string, string>();
  const rawDays: Array<{ tag: Tag; d: string; t: string; h?: string; f?: string }> = [];

  for (const tag of tags) {
    if (tag.closing) {
      const open = stack.pop();
      if (!open || open.name !== tag.name)
        problems.push({ line: tag.line, message: `</${tag.name}> does not close ${open ? `<${open.name}> of line ${open.line}` : 'any open element'}` });
      continue;
    }
    const parent = stack[stack.length - 1]?.name;
    if (tag.name === 'calendar') {
      if (parent !== undefined || sawCalendar) problems.push({ line: tag.line, message: '<calendar> must be the single root element' });
      sawCalendar = true;
      const y = tag.attributes.get('year');
      if (!y || !/^\d{4}$/.test(y)) problems.push({ line: tag.line, message: `<calendar> needs year="YYYY", got ${y === undefined ? 'none' : `"${y}"`}` });
      else year = Number(y);
    } else if (tag.name === 'holidays' || tag.name === 'days') {
      if (parent !== 'calendar') problems.push({ line: tag.line, message: `<${tag.name}> must be inside <calendar>` });
    } else if (tag.name === 'holiday') {
      if (parent !== 'holidays') problems.push({ line: tag.line, message: '<holiday> must be inside <holidays>' });
      const id = tag.attributes.get('id');
      if (id !== undefined) titles.set(id, tag.attributes.get('title') ?? '');
    } else if (tag.name === 'day') {
      if (parent !== 'days') problems.push({ line: tag.line, message: '<day> must be inside <days>' });
      const d = tag.attributes.get('d');
      const t = tag.attributes.get('t');
      if (d === undefined) problems.push({ line: tag.line, message: '<day> needs d="MM.DD"' });
      if (t === undefined) problems.push({ line: tag.line, message: '<day> needs t="1|2|3"' });
      if (d !== undefined && t !== undefined) {
        const h = tag.attributes.get('h');
        const f = tag.attributes.get('f');
        rawDays.push({ tag, d, t, ...(h !== undefined ? { h } : {}), ...(f !== undefined ? { f } : {}) });
      }
    } else {
      problems.push({ line: tag.line, message: `unknown element <${tag.name}>` });
    }
    if (!tag.selfClosing) stack.push(tag);
  }
  for (const open of stack) problems.push({ line: open.line, message: `<${open.name}> is never closed` });
  if (!sawCalendar) problems.push({ line: 1, message: 'no <calendar year="YYYY"> element' });

  const days: CalendarDay[] = [];
  const seen = new Map<string, number>();
  for (const { tag, d, t, h, f } of rawDays) {
    if (!/^\d{2}\.\d{2}$/.test(d)) {
      problems.push({ line: tag.line, message: `d="${d}" is not MM.DD` });
      continue;
    }
    if (year === undefined) continue;
    const date = `${year}-${d.slice(0, 2)}-${d.slice(3, 5)}`;
    if (!isRealDate(date)) {
      problems.push({ line: tag.line, message: `d="${d}" is not a date in ${year}` });
      continue;
    }
    const earlier = seen.get(date);
    if (earlier !== undefined) {
      problems.push({ line: tag.line, message: `d="${d}" is already listed on line ${earlier}` });
      continue;
    }
    seen.set(date, tag.line);
    const weekend = weekdayOf(date) >= 6;
    let kind: CalendarDay['kind'];
    if (t === '1') kind = 'dayoff';
    else if (t === '2') kind = 'shortened';
    else if (t === '3') {
      if (!weekend) {
        problems.push({ line: tag.line, message: `t="3" marks a working weekend day, but ${d} is a weekday` });
        continue;
      }
      kind = 'working';
    } else {
      problems.push({ line: tag.line, message: `t="${t}" is not 1 (day off), 2 (shortened) or 3 (working weekend day)` });
      continue;
    }
    const title = h !== undefined ? titles.get(h) : undefined;
    const why = [title, f ? `перенос с ${f}` : undefined].filter(Boolean).join('; ');
    days.push({ date, kind, ...(why ? { why } : {}) });
  }
  if (problems.length > 0) throw new CalendarXmlError(file, problems.sort((a, b) => a.line - b.line));
  return { year: year ?? 0, source: `xmlcalendar.ru format: ${file}`, days: days.sort((a, b) => a.date.localeCompare(b.date)) };
}

/** The same year written back in the xmlcalendar.ru format (for export and for tests). */
export function formatCalendarXml(year: CalendarYear): string {
  const code = { dayoff: '1', shortened: '2', working: '3' } as const;
  const lines = year.days
    .filter((d) => !(d.kind === 'working' && weekdayOf(d.date) <= 5))
    .map((d) => `    <day d="${d.date.slice(5, 7)}.${d.date.slice(8, 10)}" t="${code[d.kind]}"/>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<calendar year="${year.year}" lang="ru" country="ru">`, '  <days>', ...lines, '  </days>', '</calendar>', ''].join('\n');
}
