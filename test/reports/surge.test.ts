import { describe, expect, it } from '@jest/globals';
import { assessSurge, DEFAULT_SURGE_PARAMS, hourShares, poissonUpperTail, surgeAlertText, windowShare } from '../../reports/surge.js';
import { seededRandom } from '../support/report-data.js';

/**
 * The surge statistic on synthetic series: a tenant whose citizens write with a day
 * profile (little at night, most in the evening), keys of very different usual rates,
 * 28 days of baseline and a 3-hour window at a random time of day — quiet (the same
 * process) or with a surge added.
 */

// Relative weight of each hour of the day (Moscow), roughly a municipality's public pages.
const DAY_PROFILE = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 8, 8, 7, 5, 3];
const PROFILE_SUM = DAY_PROFILE.reduce((a, b) => a + b, 0);
const TENANT_DAILY = 60;

function poisson(mean: number, random: () => number): number {
  // Knuth's method: fine for the small hourly means here.
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

interface Series {
  observed: number;
  baselineCount: number;
  share: number;
}

/** A day's factor with mean 1: Gamma(shape 2, scale 1/2), the sum of two exponentials — busy and quiet days. */
function dayFactor(random: () => number): number {
  return (-Math.log(1 - random()) - Math.log(1 - random())) / 2;
}

function series(dailyRate: number, random: () => number, extra = 0, overdispersed = false): Series {
  const tenantByHour = new Array<number>(24).fill(0);
  let baselineCount = 0;
  for (let day = 0; day < DEFAULT_SURGE_PARAMS.baselineDays; day++) {
    const factor = overdispersed ? dayFactor(random) : 1;
    for (let h = 0; h < 24; h++) {
      const weight = DAY_PROFILE[h]! / PROFILE_SUM;
      tenantByHour[h]! += poisson(TENANT_DAILY * weight, random);
      baselineCount += poisson(dailyRate * factor * weight, random);
    }
  }
  const startHour = random() * 24;
  const share = windowShare(hourShares(tenantByHour), startHour, DEFAULT_SURGE_PARAMS.windowHours);
  const trueShare = windowShare(DAY_PROFILE.map((w) => w / PROFILE_SUM), startHour, DEFAULT_SURGE_PARAMS.windowHours);
  const todayFactor = overdispersed ? dayFactor(random) : 1;
  return { observed: poisson(dailyRate * todayFactor * trueShare, random) + extra, baselineCount, share };
}

const RATES = [0.1, 0.5, 1, 3, 10, 30];

describe('surge of activity (003 [13])', () => {
  it('computes the Poisson upper tail exactly where it can be checked by hand', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    // P(X ≥ 3 | 1) = 1 − e^-1 (1 + 1 + 1/2)
    expect(poissonUpperTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * 2.5, 12);
    expect(poissonUpperTail(10, 0.5)).toBeCloseTo(Math.exp(-0.5) * (0.5 ** 10 / 3628800) * (1 + 0.5 / 11 + 0.25 / 132 + 0.125 / 1716), 15);
    expect(poissonUpperTail(200, 100)).toBeLessThan(1e-15);
    expect(poissonUpperTail(50, 100)).toBeGreaterThan(0.999999);
  });

  it('spreads a day by the tenant\'s hours: a night window expects less than an evening one', () => {
    const shares = hourShares(DAY_PROFILE.map((w) => Math.round(w * 100)));
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(windowShare(shares, 0, 24)).toBeCloseTo(1, 12);
    expect(windowShare(shares, 2, 3)).toBeLessThan(windowShare(shares, 18, 3) / 10);
    // A window across midnight, starting mid-hour.
    expect(windowShare(shares, 22.5, 3)).toBeCloseTo(shares[22]! * 0.5 + shares[23]! + shares[0]! + shares[1]! * 0.5, 12);
  });

  it('raises at most 1 % false alarms on quiet series of every usual rate', () => {
    const random = seededRandom(4242);
    const perRate = 800;
    let alarms = 0;
    const byRate: Record<string, number> = {};
    for (const rate of RATES) {
      let rateAlarms = 0;
      for (let i = 0; i < perRate; i++) {
        const s = series(rate, random);
        if (assessSurge({ observed: s.observed, baselineCount: s.baselineCount, windowShare: s.share }).surge) rateAlarms++;
      }
      byRate[`${rate}/сут`] = rateAlarms / perRate;
      alarms += rateAlarms;
    }
    const falseAlarmRate = alarms / (perRate * RATES.length);
    process.stdout.write(`surge: false alarm rate on ${perRate * RATES.length} quiet series ${(100 * falseAlarmRate).toFixed(3)} % (by usual rate: ${JSON.stringify(byRate)})\n`);
    expect(falseAlarmRate).toBeLessThanOrEqual(0.01);
    for (const rate of Object.values(byRate)) expect(rate).toBeLessThanOrEqual(0.02);
  });

  it('stays at most 1 % on quiet series whose days vary far more than Poisson (busy and quiet days)', () => {
    const random = seededRandom(9090);
    const perRate = 800;
    let alarms = 0;
    for (const rate of RATES) {
      for (let i = 0; i < perRate; i++) {
        const s = series(rate, random, 0, true);
        if (assessSurge({ observed: s.observed, baselineCount: s.baselineCount, windowShare: s.share }).surge) alarms++;
      }
    }
    const falseAlarmRate = alarms / (perRate * RATES.length);
    process.stdout.write(`surge: false alarm rate on ${perRate * RATES.length} overdispersed quiet series ${(100 * falseAlarmRate).toFixed(3)} %\n`);
    expect(falseAlarmRate).toBeLessThanOrEqual(0.01);
  });

  it('finds a surge: a dozen messages in 3 hours about a key usually written about a few times a month, or five times the usual', () => {
    const random = seededRandom(777);
    let found = 0;
    let tried = 0;
    for (const rate of [0.1, 0.5, 1]) {
      for (let i = 0; i < 300; i++) {
        tried++;
        const s = series(rate, random, 12);
        if (assessSurge({ observed: s.observed, baselineCount: s.baselineCount, windowShare: s.share }).surge) found++;
      }
    }
    const detection = found / tried;
    // Five times the usual level of a busy key, at a busy hour (18:00–21:00).
    let busyFound = 0;
    for (let i = 0; i < 300; i++) {
      const tenantByHour = DAY_PROFILE.map((w) => Math.round((TENANT_DAILY * 28 * w) / PROFILE_SUM));
      const share = windowShare(hourShares(tenantByHour), 18, 3);
      const usual = 30 * share;
      const observed = poisson(5 * usual, random);
      if (assessSurge({ observed, baselineCount: poisson(30 * 28, random), windowShare: share }).surge) busyFound++;
    }
    process.stdout.write(`surge: detected ${(100 * detection).toFixed(1)} % of +12 surges on rare keys, ${(100 * busyFound / 300).toFixed(1)} % of 5× surges on a 30/day key\n`);
    expect(detection).toBeGreaterThanOrEqual(0.95);
    expect(busyFound / 300).toBeGreaterThanOrEqual(0.95);
  });

  it('does not call a modest rise of a busy key a surge, however significant statistically', () => {
    // 30 a day, 3 evening hours expect ~8; 18 is p ≈ 0.001 but only 2.2× the usual.
    const shares = hourShares(DAY_PROFILE.map((w) => Math.round((TENANT_DAILY * 28 * w) / PROFILE_SUM)));
    const share = windowShare(shares, 18, 3);
    const assessment = assessSurge({ observed: 18, baselineCount: 30 * 28, windowShare: share });
    expect(assessment.ratio).toBeLessThan(3);
    expect(assessment.surge).toBe(false);
    // Four messages about a never-mentioned street: rare, but below the minimum count.
    expect(assessSurge({ observed: 4, baselineCount: 0, windowShare: share }).surge).toBe(false);
    expect(assessSurge({ observed: 6, baselineCount: 0, windowShare: share }).surge).toBe(true);
  });

  it('words the alert for the head in Russian with the figures and the incidents', () => {
    const a = assessSurge({ observed: 9, baselineCount: 2, windowShare: 0.15 });
    const text = surgeAlertText('location', 'ул. Ленина', a, 3, [12, 14, 15, 16, 17, 18, 19, 20, 21]);
    expect(text).toMatch(/^Повышенная активность: за последние 3 ч поступило 9 сообщений о месте «ул\. Ленина» \(обычно за такое время — не более одного\)/);
    const busy = surgeAlertText('topic', 'ЖКХ', assessSurge({ observed: 40, baselineCount: 280, windowShare: 0.3 }), 3, [1]);
    expect(busy).toContain('по теме «ЖКХ» (обычно около 3,0, в 13,3 раза меньше)');
    expect(text).toContain('Обращения № 12, 14, 15');
  });
});
