import { describe, expect, it } from '@jest/globals';
import { absenceAt, route, type DepartmentEntry, type StaffMember } from '../../workflow/routing.js';

const d = (iso: string): Date => new Date(iso);

const staff: StaffMember[] = [
  { code: 'ivanova', fullName: 'Иванова Анна Сергеевна', roles: ['executor'], department: 'zhkh', deputy: 'orlova', absences: [], active: true },
  { code: 'petrov', fullName: 'Петров Игорь Викторович', roles: ['executor'], department: 'zhkh', deputy: 'orlova', absences: [], active: true },
  { code: 'orlova', fullName: 'Орлова Мария Павловна', roles: ['executor'], department: 'blag', deputy: null, absences: [], active: true },
  { code: 'sidorov', fullName: 'Сидоров Олег Николаевич', roles: ['executor'], department: 'road', deputy: 'kozlova', absences: [], active: true },
  { code: 'kozlova', fullName: 'Козлова Елена Андреевна', roles: ['executor'], department: 'road', deputy: null, absences: [], active: true },
  { code: 'kurator', fullName: 'Белова Ольга Игоревна', roles: ['curator'], department: null, deputy: null, absences: [], active: true },
];
const departments: DepartmentEntry[] = [
  { code: 'zhkh', name: 'Отдел ЖКХ', executors: ['ivanova', 'petrov'] },
  { code: 'road', name: 'Отдел дорожного хозяйства', executors: ['sidorov'] },
  { code: 'blag', name: 'Отдел благоустройства', executors: ['orlova'] },
  { code: 'empty', name: 'Архивный отдел', executors: [] },
];
const NOW = d('2025-12-02T10:00:00+03:00');

function withAbsence(code: string, from: string, to: string, reason: 'illness' | 'leave' | 'travel' | 'study' | 'other'): StaffMember[] {
  return staff.map((s) => (s.code === code ? { ...s, absences: [...s.absences, { from: d(from), to: d(to), reason }] } : s));
}

describe('routing to a department (000 [5], 001 [6])', () => {
  it('gives the incident to the first executor in the department order', () => {
    const out = route({ department: 'zhkh', departments, staff, now: NOW });
    expect(out).toMatchObject({ kind: 'assigned', department: 'zhkh', assignee: 'ivanova', standingInFor: null });
    if (out.kind === 'assigned') expect(out.why).toBe('Исполнитель подразделения «Отдел ЖКХ»: Иванова Анна Сергеевна');
  });

  it('passes over an executor on leave to the next executor of the same department, not to the deputy', () => {
    const onLeave = withAbsence('ivanova', '2025-12-01T00:00:00+03:00', '2025-12-15T00:00:00+03:00', 'leave');
    expect(route({ department: 'zhkh', departments, staff: onLeave, now: NOW })).toMatchObject({ kind: 'assigned', assignee: 'petrov', standingInFor: null });
  });

  it('gives it to the deputy while the only executor is ill, naming the absence', () => {
    const ill = withAbsence('sidorov', '2025-12-01T00:00:00+03:00', '2025-12-06T00:00:00+03:00', 'illness');
    const out = route({ department: 'road', departments, staff: ill, now: NOW, timeZone: 'Europe/Moscow' });
    expect(out).toMatchObject({ kind: 'assigned', assignee: 'kozlova', standingInFor: { code: 'sidorov', reason: 'illness' } });
    if (out.kind === 'assigned') expect(out.why).toBe('Заместитель Козлова Елена Андреевна на время отсутствия исполнителя Сидоров Олег Николаевич (болезнь по 05.12.2025)');
  });

  it('a deputy from another department stands in when every executor of the department is away', () => {
    const away = withAbsence('petrov', '2025-12-02T00:00:00+03:00', '2025-12-03T00:00:00+03:00', 'travel');
    const both = away.map((s) => (s.code === 'ivanova' ? { ...s, absences: [{ from: d('2025-11-20T00:00:00+03:00'), to: d('2025-12-20T00:00:00+03:00'), reason: 'study' as const }] } : s));
    expect(route({ department: 'zhkh', departments, staff: both, now: NOW })).toMatchObject({ kind: 'assigned', assignee: 'orlova', standingInFor: { code: 'ivanova', reason: 'study' } });
  });

  it('an absence ends at its `to` instant: the executor is back then', () => {
    const ill = withAbsence('sidorov', '2025-11-25T00:00:00+03:00', '2025-12-02T10:00:00+03:00', 'illness');
    expect(route({ department: 'road', departments, staff: ill, now: NOW })).toMatchObject({ assignee: 'sidorov' });
    expect(route({ department: 'road', departments, staff: ill, now: d('2025-12-02T09:59:00+03:00') })).toMatchObject({ assignee: 'kozlova' });
  });

  it('tells the curator who is away and until when when nobody is available', () => {
    const ill = withAbsence('sidorov', '2025-12-01T00:00:00+03:00', '2025-12-06T00:00:00+03:00', 'illness');
    const both = ill.map((s) => (s.code === 'kozlova' ? { ...s, absences: [{ from: d('2025-11-24T00:00:00+03:00'), to: d('2025-12-08T00:00:00+03:00'), reason: 'leave' as const }] } : s));
    const out = route({ department: 'road', departments, staff: both, now: NOW, timeZone: 'Europe/Moscow' });
    expect(out.kind).toBe('nobody');
    if (out.kind !== 'nobody') return;
    expect(out.tried.map((c) => [c.code, c.unavailable.kind, c.deputyFor ?? null])).toEqual([
      ['sidorov', 'absent', null],
      ['kozlova', 'absent', 'sidorov'],
    ]);
    expect(out.message).toBe(
      'В подразделении «Отдел дорожного хозяйства» сейчас нет доступного исполнителя: Сидоров Олег Николаевич — болезнь по 05.12.2025; ' +
        'Козлова Елена Андреевна (заместитель sidorov) — отпуск по 07.12.2025. Выберите исполнителя вручную или другое подразделение.',
    );
  });

  it('skips staff who left, are not executors or are missing, and says so', () => {
    const dept: DepartmentEntry[] = [{ code: 'mixed', name: 'Смешанный отдел', executors: ['gone', 'kurator', 'ghost'] }];
    const gone: StaffMember = { code: 'gone', fullName: 'Уволенный Пётр', roles: ['executor'], department: 'mixed', deputy: null, absences: [], active: false };
    const out = route({ department: 'mixed', departments: dept, staff: [...staff, gone], now: NOW });
    expect(out.kind).toBe('nobody');
    if (out.kind === 'nobody') {
      expect(out.tried.map((c) => c.unavailable.kind)).toEqual(['inactive', 'not-executor', 'unknown']);
      expect(out.message).toContain('Уволенный Пётр — не работает в системе');
      expect(out.message).toContain('ghost — нет в списке сотрудников');
    }
  });

  it('a department without executors and an unknown department are their own outcomes', () => {
    expect(route({ department: 'empty', departments, staff, now: NOW })).toMatchObject({
      kind: 'nobody', message: 'В подразделении «Архивный отдел» сейчас нет доступного исполнителя: исполнители не назначены. Выберите исполнителя вручную или другое подразделение.',
    });
    expect(route({ department: 'nope', departments, staff, now: NOW })).toMatchObject({ kind: 'unknown-department', department: 'nope' });
  });

  it('does not give the incident back to someone excluded, nor to an excluded deputy', () => {
    expect(route({ department: 'zhkh', departments, staff, now: NOW, exclude: ['ivanova'] })).toMatchObject({ assignee: 'petrov' });
    const ill = withAbsence('sidorov', '2025-12-01T00:00:00+03:00', '2025-12-06T00:00:00+03:00', 'illness');
    expect(route({ department: 'road', departments, staff: ill, now: NOW, exclude: ['kozlova'] }).kind).toBe('nobody');
  });

  it('absenceAt finds the absence covering an instant', () => {
    const member = withAbsence('ivanova', '2025-12-01T00:00:00+03:00', '2025-12-03T00:00:00+03:00', 'leave').find((s) => s.code === 'ivanova')!;
    expect(absenceAt(member, NOW)?.reason).toBe('leave');
    expect(absenceAt(member, d('2025-12-03T00:00:00+03:00'))).toBeNull();
    expect(absenceAt(member, d('2025-11-30T23:59:00+03:00'))).toBeNull();
  });
});
