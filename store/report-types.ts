/**
 * The shapes of the monthly report's figures and the alerts' counts, as the store port
 * returns them (store/port.ts ReportRepository).
 */
export interface Period {
  /** Inclusive start, exclusive end: an incident belongs to the month it was detected in. */
  readonly from: Date;
  readonly to: Date;
  readonly timeZone: string;
}

export interface CountRow {
  readonly key: string | null;
  readonly count: number;
}

export interface ReportCounts {
  readonly total: number;
  readonly byState: CountRow[];
  readonly byNetwork: CountRow[];
  readonly byTopic: CountRow[];
  readonly byLocation: CountRow[];
  readonly byDepartment: CountRow[];
  readonly byImportance: CountRow[];
  readonly byDay: CountRow[];
  readonly repeats: number;
}

export interface DeadlineRow {
  readonly number: number;
  readonly step: string;
  readonly dueAt: Date;
  readonly metAt: Date | null;
  readonly responsible: string | null;
  /** The department holding the incident: where a deadline with no person is counted. */
  readonly department: string | null;
}

export interface AnswerRow {
  readonly number: number;
  readonly detectedAt: Date;
  readonly answeredAt: Date;
}

export interface RejectionRow {
  /** The curator's reason label, when a curator rejected it. */
  readonly curatorReason: string | null;
  /** The classifier's reason, when the classifier rejected it. */
  readonly classifierReason: string | null;
  readonly count: number;
}

export interface ProblemRow {
  readonly topic: string | null;
  readonly location: string | null;
  readonly count: number;
  readonly high: number;
  readonly numbers: number[];
}

export interface RepeatRow {
  readonly repeatOf: number;
  readonly count: number;
}


/** States in which the answer reached the author (publication succeeded). */
export const ANSWERED_STATES = ['published', 'published-private'] as const;

export interface HighImportanceIncident {
  readonly number: number;
  readonly network: string;
  readonly topic: string | null;
  readonly location: string | null;
  readonly state: string;
  readonly stateLabel: string;
  readonly detectedAt: Date;
  /** The head already has the workflow's own «повышенной важности» notice for it. */
  readonly headNotified: boolean;
}

export type SurgeKey = 'topic' | 'location';

export interface KeyCount {
  readonly value: string;
  readonly count: number;
  readonly numbers: number[];
}
