// Deadline computations per second for each kind of term, over a year of random start
// times (2025, Europe/Moscow, default office hours). Run: node --import tsx bench/deadlines.ts
import { performance } from 'node:perf_hooks';
import { SHIPPED_CALENDAR } from '../workflow/calendar.js';
import { clockFor, planDeadlines, stepDue, stepDueDetail } from '../workflow/deadline-plan.js';
import { resolveProfile } from '../workflow/profiles.js';
import { WorkingClock, addTerm, type Term } from '../workflow/terms.js';
import { DEFAULT_OFFICE_HOURS } from '../workflow/office-hours.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const YEAR_START = Date.parse('2025-01-01T00:00:00+03:00');
const YEAR_MS = 365 * 24 * 3600 * 1000;

// A fixed seed, so that two runs time the same start times (mulberry32).
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(20251128);
const starts = Array.from({ length: COUNT }, () => YEAR_START + Math.floor(next() * YEAR_MS));

/** The slow measures (no cache, whole plans) time a tenth of the starts to keep the run short. */
function measure(label: string, compute: (startMs: number) => number, count = COUNT, from: readonly number[] = starts): void {
  let checksum = 0;
  for (let i = 0; i < Math.min(1000, count); i++) checksum += compute(from[i] ?? 0) % 7; // warm up the JIT
  const t0 = performance.now();
  for (let i = 0; i < count; i++) checksum += compute(from[i] ?? 0) % 7;
  const elapsedMs = performance.now() - t0;
  const perSecond = Math.round((count / elapsedMs) * 1000);
  console.log(`${label.padEnd(46)} ${String(perSecond).padStart(10)} /s   (${count} in ${elapsedMs.toFixed(0)} ms, checksum ${checksum})`);
}

const kinds: Array<[string, Term]> = [
  ['working hours: 8 h (000 [6])', { kind: 'working-hours', minutes: 8 * 60 }],
  ['working-day clock hours: 24 h (001 [8])', { kind: 'working-day-hours', minutes: 24 * 60 }],
  ['working days: 7 (000 [15])', { kind: 'working-days', days: 7 }],
  ['plain clock hours: 24 h (003 [7])', { kind: 'clock', minutes: 24 * 60 }],
];

console.log(`deadline computations per second, ${COUNT} random starts in 2025, node ${process.version}`);
for (const [label, term] of kinds) {
  const clock = new WorkingClock(SHIPPED_CALENDAR, DEFAULT_OFFICE_HOURS, 'Europe/Moscow');
  measure(label, (s) => addTerm(clock, s, term));
}

const krymsk = resolveProfile('krymsk');
const krymskClock = clockFor(krymsk, SHIPPED_CALENDAR);
measure('4 h before the answer deadline (000 [10])', (s) => stepDue(krymskClock, krymsk, 'draft', 'normal', s));

// Past the last loaded year (2026): the same terms on the Labour Code's provisional 2027,
// with the check of which years a term consulted (issue 12).
const PROVISIONAL_START = Date.parse('2026-12-01T00:00:00+03:00');
const provisionalStarts = starts.map((s) => PROVISIONAL_START + ((s - YEAR_START) % (62 * 24 * 3600 * 1000)));
measure('answer 8 h, 2025 starts, with the year check', (s) => stepDueDetail(krymskClock, krymsk, 'answer', 'normal', s).dueMs);
measure('answer 8 h, Dec 2026–Jan 2027 starts', (s) => stepDueDetail(krymskClock, krymsk, 'answer', 'normal', s).dueMs, COUNT, provisionalStarts);
const marked = provisionalStarts.filter((s) => stepDueDetail(krymskClock, krymsk, 'answer', 'normal', s).provisional !== null).length;
console.log(`  of which marked provisional: ${marked} of ${COUNT}`);

const cold = (s: number): number => addTerm(new WorkingClock(SHIPPED_CALENDAR, DEFAULT_OFFICE_HOURS, 'Europe/Moscow'), s, kinds[0]![1]);
measure('working hours, new clock each time (no cache)', cold, Math.ceil(COUNT / 10));

const vp = resolveProfile('vyatskiye-polyany');
measure('whole plan of one incident (001, 4 drafts)', (s) =>
  planDeadlines(
    {
      importance: 'normal',
      detectedAt: s,
      handedOverAt: s + 20 * 60_000,
      drafts: [
        { submittedAt: s + 3 * 3600_000, returnedAt: s + 4 * 3600_000 },
        { submittedAt: s + 5 * 3600_000, returnedAt: s + 6 * 3600_000 },
        { submittedAt: s + 7 * 3600_000, returnedAt: s + 8 * 3600_000 },
        { submittedAt: s + 9 * 3600_000, approvedAt: s + 10 * 3600_000 },
      ],
      publishedAt: s + 11 * 3600_000,
    },
    vp,
    SHIPPED_CALENDAR,
    s + 12 * 3600_000,
  ).length,
  Math.ceil(COUNT / 10),
);
