import type { Network } from './types.js';

/**
 * What a cursor or id from a network must satisfy before the connector lets it move a
 * saved cursor. One update with `update_id` near 2^53 used to move the Telegram offset
 * there, and Telegram then confirmed (deleted) every real update below it: every later
 * message of the account was lost. A value that breaks a rule is refused: the item that
 * carried it is set aside, the cursor stays, and the refusal is logged as an error.
 */
export type CursorRule =
  /** Not a number, or not an integer, where the API documents one. */
  | 'type'
  /** Outside the documented range (Telegram ids are 32-bit; dates before 1970 or far ahead). */
  | 'range'
  /** Below the current cursor: the API ignored the offset, or the value is forged. */
  | 'backwards'
  /** Further ahead of the current cursor than any real stream moves in one fetch. */
  | 'jump';

export class CursorRefused extends Error {
  override readonly name = 'CursorRefused';
  /** A retry returns the same value: only a person (or the network) can change it. */
  readonly retryMayHelp = false;
  constructor(
    readonly network: Network,
    readonly accountId: string,
    /** The field as the API names it: update_id, ts, timestamp, last_activity_date. */
    readonly field: string,
    readonly rule: CursorRule,
    /** The cursor's value before, where there is one. */
    readonly current: number | null,
    /** The value the network gave, as it came. */
    readonly offered: unknown,
    /** The bound it broke. */
    readonly limit: number,
  ) {
    super(`${network} ${accountId}: refused ${field} ${describe(offered)} (${rule}: ${explain(rule, current, limit)}); the cursor stays where it was`);
  }

  /** The fields a log line carries. */
  toLog(): Record<string, unknown> {
    return { network: this.network, accountId: this.accountId, field: this.field, rule: this.rule, current: this.current, offered: describe(this.offered), limit: this.limit };
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}

function explain(rule: CursorRule, current: number | null, limit: number): string {
  switch (rule) {
    case 'type': return 'not an integer';
    case 'range': return `allowed up to ${limit}`;
    case 'backwards': return `below the cursor ${current}`;
    case 'jump': return `more than ${limit} ahead of the cursor ${current}`;
  }
}

export interface SequenceLimits {
  /** The largest value the API documents. */
  readonly max: number;
  /** How far ahead of the current value one fetch may move it. */
  readonly maxJump: number;
}

/**
 * Checks the next value of an increasing sequence (Telegram update_id, VK Long Poll ts).
 * `current` is the value the cursor expects next (null before the first fetch: only the
 * type and range are checked). Returns the value, or the rule it broke.
 */
export function checkSequence(offered: unknown, current: number | null, limits: SequenceLimits): { ok: true; value: number } | { ok: false; rule: CursorRule; limit: number } {
  const value = typeof offered === 'string' && /^\d{1,16}$/.test(offered) ? Number(offered) : offered;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return { ok: false, rule: 'type', limit: limits.max };
  if (value < 0 || value > limits.max) return { ok: false, rule: 'range', limit: limits.max };
  if (current !== null && value < current) return { ok: false, rule: 'backwards', limit: current };
  if (current !== null && value - current > limits.maxJump) return { ok: false, rule: 'jump', limit: limits.maxJump };
  return { ok: true, value };
}

/**
 * A date a network gives may be a little ahead of our clock, never a day ahead: such a
 * date is refused rather than allowed to move a time cursor into the future, where every
 * later item would fall behind it. A day leaves room for a server whose clock is wrong by
 * hours; cursors built from accepted dates are still held to "now" (`notAfterNow`).
 */
export const MAX_FUTURE_SKEW_MS = 24 * 3_600_000;

export function checkDateMs(offeredMs: number, nowMs: number): { ok: true } | { ok: false; rule: CursorRule; limit: number } {
  if (!Number.isSafeInteger(offeredMs)) return { ok: false, rule: 'type', limit: nowMs + MAX_FUTURE_SKEW_MS };
  if (offeredMs < 0 || offeredMs > nowMs + MAX_FUTURE_SKEW_MS) return { ok: false, rule: 'range', limit: nowMs + MAX_FUTURE_SKEW_MS };
  return { ok: true };
}

/** A time cursor never moves past the present: what arrives later is dated later. */
export function notAfterNow(valueMs: number, nowMs: number): number {
  return Math.min(valueMs, nowMs);
}
