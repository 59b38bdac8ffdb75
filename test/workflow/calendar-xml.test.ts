import { describe, expect, it } from '@jest/globals';
import { ProductionCalendar, SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import { CalendarXmlError, formatCalendarXml, parseCalendarXml } from '../../workflow/calendar-xml.js';

// Test data in the xmlcalendar.ru layout (not a statement about the real 2027 calendar).
const WELL_FORMED = `<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2027" lang="ru" date="2026.09.20" country="ru">
  <holidays>
    <holiday id="1" title="Новогодние каникулы"/>
    <holiday id="2" title="Рождество Христово"/>
  </holidays>
  <!-- a comment the parser skips -->
  <days>
    <day d="01.01" t="1" h="1"/>
    <day d="01.07" t="2" h="2"/>
    <day d="01.08" t="1" f="01.02"/>
    <day d="02.20" t="3"/>
  </days>
</calendar>
`;

function problemsOf(text: string): string[] {
  try {
    parseCalendarXml(text, 'y.xml');
  } catch (error) {
    if (error instanceof CalendarXmlError) return error.message.split('\n');
    throw error;
  }
  throw new Error('parsed without problems');
}

describe('xmlcalendar.ru import format', () => {
  it('reads a well-formed year: days off, shortened days, working weekend days', () => {
    const year = parseCalendarXml(WELL_FORMED, '2027.xml');
    expect(year.year).toBe(2027);
    expect(year.days).toEqual([
      { date: '2027-01-01', kind: 'dayoff', why: 'Новогодние каникулы' },
      { date: '2027-01-07', kind: 'shortened', why: 'Рождество Христово' },
      { date: '2027-01-08', kind: 'dayoff', why: 'перенос с 01.02' },
      { date: '2027-02-20', kind: 'working' },
    ]);
    const cal = SHIPPED_CALENDAR.with([year]);
    expect(cal.kindOf('2027-01-08')).toBe('dayoff');
    expect(cal.kindOf('2027-02-20')).toBe('working'); // a Saturday made working
    expect(cal.kindOf('2027-02-21')).toBe('dayoff'); // an ordinary Sunday
    expect(cal.kindOf('2027-01-11')).toBe('working');
  });

  it.each([2019, 2020, 2021, 2024, 2025, 2026])('%i written out and read back gives the same kind for every date', (y) => {
    const back = new ProductionCalendar([parseCalendarXml(formatCalendarXml(SHIPPED_CALENDAR.yearData(y)))]);
    expect(back.daysOf(y)).toEqual(SHIPPED_CALENDAR.daysOf(y));
  });

  it.each([
    ['a bad type', WELL_FORMED.replace('t="3"', 't="4"'), 'y.xml:12: t="4" is not 1 (day off), 2 (shortened) or 3 (working weekend day)'],
    ['a date that does not exist', WELL_FORMED.replace('d="02.20"', 'd="02.30"'), 'y.xml:12: d="02.30" is not a date in 2027'],
    ['a date written wrong', WELL_FORMED.replace('d="02.20"', 'd="2.20"'), 'y.xml:12: d="2.20" is not MM.DD'],
    ['a date listed twice', WELL_FORMED.replace('d="02.20" t="3"', 'd="01.01" t="1"'), 'y.xml:12: d="01.01" is already listed on line 9'],
    ['a weekday marked as working weekend', WELL_FORMED.replace('d="02.20" t="3"', 'd="02.22" t="3"'), 'y.xml:12: t="3" marks a working weekend day, but 02.22 is a weekday'],
    ['a missing type', WELL_FORMED.replace(' t="3"', ''), 'y.xml:12: <day> needs t="1|2|3"'],
    ['an unclosed element', WELL_FORMED.replace('  </days>\n', ''), 'y.xml:13: </calendar> does not close <days> of line 8'],
    ['a broken tag', WELL_FORMED.replace('<day d="01.08" t="1" f="01.02"/>', '<day d="01.08 t="1"/>'), 'y.xml:11: malformed tag <day d="01.08 t="1"/>'],
    ['no year', WELL_FORMED.replace(' year="2027"', ''), 'y.xml:2: <calendar> needs year="YYYY", got none'],
    ['stray text', WELL_FORMED.replace('<days>', '<days> oops'), 'y.xml:8: unexpected text "oops"'],
    ['an unknown element', WELL_FORMED.replace('<days>', '<days><week/>'), 'y.xml:8: unknown element <week>'],
  ])('rejects %s with the line and the reason', (_what, text, problem) => {
    expect(problemsOf(text)).toContain(problem);
  });

  it('reports every problem of a file, in line order', () => {
    const text = WELL_FORMED.replace('t="3"', 't="9"').replace('d="01.07"', 'd="13.07"');
    expect(problemsOf(text)).toEqual(['y.xml:10: d="13.07" is not a date in 2027', 'y.xml:12: t="9" is not 1 (day off), 2 (shortened) or 3 (working weekend day)']);
  });

  it('rejects a file that is not this format at all', () => {
    expect(problemsOf('{"year":2027}')[0]).toBe('y.xml:1: unexpected text "{"year":2027}"');
  });
});
