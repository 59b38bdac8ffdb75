// The workplace's pure parts: escaping, the evidence marks, working time left, the forms
// read into commands, passwords, and who sees what.
import { describe, expect, it } from '@jest/globals';
import { SHIPPED_CALENDAR } from '../../workflow/calendar.js';
import type { OfficeHours } from '../../workflow/office-hours.js';
import { WorkingClock } from '../../workflow/terms.js';
import { isVisible, visibilityOf } from '../../web/access.js';
import { parseCommand } from '../../web/commands.js';
import { html, raw } from '../../web/html.js';
import { generatePassword, hashPassword, verifyPassword } from '../../web/passwords.js';
import { timeLeft, workingMsBetween } from '../../web/time-left.js';
import { highlight } from '../../web/views/card.js';
import type { StaffMember } from '../../workflow/routing.js';

// The example tenant's hours: 08:30–12:30 and 13:30–17:30, Friday to 16:15 (Moscow).
const day = (end = '17:30') => [{ from: '08:30', to: '12:30' }, { from: '13:30', to: end }];
const HOURS: OfficeHours = { week: { mon: day(), tue: day(), wed: day(), thu: day(), fri: day('16:15'), sat: [], sun: [] }, shortened: { endEarlierMinutes: 60 } };
const clock = new WorkingClock(SHIPPED_CALENDAR, HOURS, 'Europe/Moscow');
const msk = (local: string) => new Date(`${local}+03:00`).getTime();

describe('html', () => {
  it('escapes every interpolated value; only raw() markup passes as is', () => {
    const hostile = '<img src=x onerror="alert(1)">\'&';
    expect(html`<p title="${hostile}">${hostile}</p>`.toString()).toBe('<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;</p>');
    expect(html`${['<a>', html`<b>`, null, false, 0]}`.toString()).toBe('&lt;a&gt;<b>0');
    expect(html`${raw('<svg></svg>')}`.toString()).toBe('<svg></svg>');
  });

  it('marks the evidence words in the message, case and ё/е aside, escaping the rest', () => {
    expect(highlight('Ты <b>ДУРАК</b>, ёлка!', ['дурак', 'елка']).toString()).toBe('Ты &lt;b&gt;<mark>ДУРАК</mark>&lt;/b&gt;, <mark>ёлка</mark>!');
    // Overlapping words mark the longer once.
    expect(highlight('улица Ленина', ['улица Ленина', 'Ленина']).toString()).toBe('<mark>улица Ленина</mark>');
    expect(highlight('без совпадений', ['нет']).toString()).toBe('без совпадений');
  });
});

describe('working time left', () => {
  it('counts office hours only: lunch and the weekend do not count', () => {
    // Friday 16:00 to Monday 09:00: 15 minutes on Friday, 30 on Monday.
    expect(workingMsBetween(clock, msk('2026-11-27T16:00'), msk('2026-11-30T09:00'))).toBe(45 * 60_000);
    // Across lunch: 12:00–14:00 is one working hour.
    expect(workingMsBetween(clock, msk('2026-11-24T12:00'), msk('2026-11-24T14:00'))).toBe(60 * 60_000);
    expect(workingMsBetween(clock, msk('2026-11-24T14:00'), msk('2026-11-24T12:00'))).toBe(-60 * 60_000);
  });

  it('says what is left, or by how much a term is overdue, in working time', () => {
    expect(timeLeft(clock, msk('2026-11-24T11:00'), msk('2026-11-24T14:20')).text).toBe('осталось 2 ч 20 мин рабочего времени');
    expect(timeLeft(clock, msk('2026-11-24T11:00'), msk('2026-11-24T10:30'))).toEqual({ overdue: true, workingMs: -30 * 60_000, text: 'просрочено на 30 мин рабочего времени' });
    // Due on Saturday, seen on Friday evening after hours: nothing of the office's time is left.
    expect(timeLeft(clock, msk('2026-11-27T18:00'), msk('2026-11-28T10:00')).text).toBe('срок истекает до начала рабочего времени');
  });
});

describe('forms read into commands', () => {
  const ctx = { timeZone: 'Europe/Moscow', now: new Date('2026-11-24T08:00:00Z') };

  it('reads the routing form: departments in order, the chosen executor', () => {
    const parsed = parseCommand('confirm-and-route', { topic: 'ЖКХ', location: ' улица Ленина ', importance: 'high', department1: 'zhkh', department2: '', department3: 'blago', assignee: 'orlova' }, ctx);
    expect(parsed).toEqual({ ok: true, command: { type: 'confirm-and-route', topic: 'ЖКХ', location: 'улица Ленина', importance: 'high', departments: ['zhkh', 'blago'], assignee: 'orlova' } });
  });

  it('names the field that is wrong, in Russian', () => {
    expect(parseCommand('confirm-and-route', { topic: 'ЖКХ', importance: 'normal' }, ctx)).toEqual({ ok: false, error: 'Подразделение: выберите хотя бы одно' });
    expect(parseCommand('confirm-and-route', { topic: '', importance: 'normal', department1: 'zhkh' }, ctx)).toEqual({ ok: false, error: 'Тема: поле не заполнено' });
    expect(parseCommand('reject', { reason: 'spam' }, ctx)).toEqual({ ok: false, error: 'Основание отклонения: выберите из перечня' });
    expect(parseCommand('link-repeat', { earlier: 'первое' }, ctx)).toEqual({ ok: false, error: 'Номер прежнего обращения: нужно число' });
    expect(parseCommand('submit-draft', { draftId: 'web-1234567890', kind: 'answer', text: '  ' }, ctx)).toEqual({ ok: false, error: 'Текст проекта: поле не заполнено' });
    expect(parseCommand('submit-draft', { draftId: 'x', kind: 'answer', text: 'Ответ' }, ctx)).toEqual({ ok: false, error: 'Форма проекта повреждена: обновите страницу' });
    expect(parseCommand('convert-to-appeal', { consentAt: '', consentHow: 'письменно' }, ctx)).toEqual({ ok: false, error: 'Когда получено согласие автора: нужны дата и время' });
  });

  it('reads a promised date as the end of that day in the tenant\'s zone, and only for an interim answer', () => {
    const interim = parseCommand('submit-draft', { draftId: 'web-1234567890', kind: 'interim', text: 'Ответ будет дан до 4 декабря', promisedBy: '2026-12-04' }, ctx);
    expect(interim.ok && interim.command.type === 'submit-draft' && interim.command.draft.promisedBy?.toISOString()).toBe('2026-12-04T20:59:59.999Z');
    const answer = parseCommand('submit-draft', { draftId: 'web-1234567890', kind: 'answer', text: 'Ответ', promisedBy: '2026-12-04' }, ctx);
    expect(answer.ok && answer.command.type === 'submit-draft' && answer.command.draft.promisedBy).toBeUndefined();
    const explanation = parseCommand('submit-draft', { draftId: 'web-1234567890', kind: 'explanation', text: 'Разъяснение', ground: 'court' }, ctx);
    expect(explanation.ok && explanation.command.type === 'submit-draft' && explanation.command.draft.ground).toBe('court');
  });
});

describe('passwords', () => {
  it('verifies the right password against its salted scrypt hash and refuses others', async () => {
    const a = await hashPassword('верный-пароль-1');
    const b = await hashPassword('верный-пароль-1');
    expect(a).not.toBe(b);
    expect(await verifyPassword('верный-пароль-1', a)).toBe(true);
    expect(await verifyPassword('верный-пароль-2', a)).toBe(false);
    expect(await verifyPassword('верный-пароль-1', 'plain')).toBe(false);
  });

  it('generates passwords of 16 characters without look-alikes', () => {
    const all = Array.from({ length: 50 }, () => generatePassword());
    for (const p of all) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
    expect(new Set(all).size).toBe(50);
  });
});

describe('who sees what', () => {
  const staff: StaffMember[] = [
    { code: 'kuznetsov', fullName: 'Кузнецов', roles: ['executor'], department: 'zhkh', deputy: 'sokolov', absences: [{ from: new Date('2026-12-14'), to: new Date('2026-12-26'), reason: 'leave' }], active: true },
  ];
  const account = (roles: Array<'curator' | 'executor' | 'head' | 'admin'>, department: string | null = 'roads') => ({ tenant: 't', code: 'sokolov', fullName: 'Соколов', roles, department, active: true });

  it('curators and the head see the tenant; an admin alone sees no incidents', () => {
    expect(visibilityOf(account(['curator']), staff, new Date('2026-11-24'))).toEqual({ kind: 'tenant' });
    expect(visibilityOf(account(['head']), staff, new Date('2026-11-24'))).toEqual({ kind: 'tenant' });
    expect(visibilityOf(account(['admin']), staff, new Date('2026-11-24'))).toBeNull();
  });

  it('an executor sees their department, their own, and an absent colleague\'s they stand in for', () => {
    const before = visibilityOf(account(['executor']), staff, new Date('2026-11-24'))!;
    const during = visibilityOf(account(['executor']), staff, new Date('2026-12-15'))!;
    const housing = { departments: ['zhkh'], assignee: 'kuznetsov' };
    expect(isVisible(before, housing)).toBe(false);
    expect(isVisible(during, housing)).toBe(true);
    expect(isVisible(before, { departments: ['roads'], assignee: null })).toBe(true);
    expect(isVisible(before, { departments: ['zhkh', 'roads'], assignee: 'kuznetsov' })).toBe(true);
  });
});
