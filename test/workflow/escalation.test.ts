import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { crossedThresholds, firstWatchAt, nextThresholdAfter, nextWatchAfter, DUE_SOON_WINDOW_MS, PUBLISH_RECHECK_MS } from '../../workflow/escalation.js';
import type { DeadlineRecord } from '../../workflow/incident-machine.js';

const HOUR_MS = 3600_000;
const T0 = Date.parse('2026-11-24T07:00:00Z');

function term(dueMs: number, extra: Partial<DeadlineRecord> = {}): DeadlineRecord {
  return { step: 'triage', dueAt: new Date(dueMs), responsible: null, metAt: null, ...extra } as DeadlineRecord;
}

describe('when the watcher looks at an incident next', () => {
  it('is the first instant after now at which some open term crosses one more threshold, and nothing changes before it', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ dueOffsetMin: fc.integer({ min: -300, max: 300 }), met: fc.boolean(), conditional: fc.boolean(), awaitsAuthor: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: -200 * 60_000, max: 200 * 60_000 }),
      (specs, nowOffsetMs) => {
        const nowMs = T0 + nowOffsetMs;
        const deadlines = specs.map((s) => term(T0 + s.dueOffsetMin * 60_000, { metAt: s.met ? new Date(T0) : null, conditional: s.conditional, awaitsAuthor: s.awaitsAuthor }));
        const open = deadlines.filter((d) => d.metAt === null && !d.conditional);
        // What the watcher acts on: the thresholds crossed (no head for a wait for the author).
        const crossed = (ms: number) => open.map((d) => crossedThresholds(d.dueAt, ms).filter((t) => !d.awaitsAuthor || t !== 'overdue-head').length);
        const next = nextThresholdAfter(deadlines, nowMs);
        const before = crossed(nowMs);
        if (next === null) {
          expect(crossed(nowMs + 400 * 60_000)).toEqual(before);
          return;
        }
        expect(next).toBeGreaterThan(nowMs);
        expect(crossed(next - 1)).toEqual(before);
        expect(crossed(next)).not.toEqual(before);
      },
    ));
  });

  it('is at once for an incident carrying a due mark or an answer waiting for the publisher, else when its next term is due soon', () => {
    expect(firstWatchAt({ state: 'triage', nextDueAt: new Date(T0 + HOUR_MS), dueStatus: null }, T0)).toBe(T0 + HOUR_MS - DUE_SOON_WINDOW_MS);
    expect(firstWatchAt({ state: 'triage', nextDueAt: new Date(T0 + 5 * 60_000), dueStatus: null }, T0)).toBe(T0);
    expect(firstWatchAt({ state: 'in-work', nextDueAt: new Date(T0 + HOUR_MS), dueStatus: 'overdue' }, T0)).toBe(T0);
    expect(firstWatchAt({ state: 'approved', nextDueAt: null, dueStatus: null }, T0)).toBe(T0);
    expect(firstWatchAt({ state: 'closed', nextDueAt: null, dueStatus: null }, T0)).toBeNull();
    // An answer waiting for the publisher is looked at again within a minute, however far its term.
    expect(nextWatchAfter({ state: 'publishing', nextDueAt: new Date(T0 + HOUR_MS), dueStatus: null, deadlines: [term(T0 + HOUR_MS)] }, T0)).toBe(T0 + PUBLISH_RECHECK_MS);
  });
});
