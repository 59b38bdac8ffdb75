import type { Importance } from '../workflow/profiles.js';
import type { DraftKind } from '../workflow/draft-check.js';
import type { ExplanationGround } from '../workflow/incident-machine.js';
import type { IncidentState } from '../workflow/incident-states.js';
import type { Db } from './db.js';
import { botConversationModel } from './models/bot-conversation.js';

/**
 * The staff bot's conversations (store/models/bot-conversation.ts): each change is one
 * atomic single-document update, so two bot processes never lose each other's writes.
 */
export type AwaitPurpose = 'draft' | 'not-competent' | 'pass-on' | 'rework-comment' | 'edit' | 'overturn' | 'reject-comment' | 'location' | 'close-no-reply' | 'resume-without-reply';

export interface Attachment {
  readonly type: string;
  readonly url: string;
}

/** The text the bot waits for, and the card it belongs to (its state and version: the history length). */
export interface Awaiting {
  readonly tenant: string;
  readonly number: number;
  readonly version: number;
  readonly state: IncidentState;
  readonly purpose: AwaitPurpose;
  readonly draftKind?: DraftKind;
  /** For an explanation: its ground (004 [3.7]). */
  readonly ground?: ExplanationGround;
  readonly attachments: readonly Attachment[];
}

/** A curator's choices on a card before it is routed (000 [9], 001 [7, 21]). */
export interface Selection {
  readonly topic: string | null;
  readonly location: string | null;
  readonly importance: Importance;
  /** In the curator's order (001 [21]). */
  readonly departments: readonly string[];
}

export interface Conversation {
  readonly tenant: string | null;
  readonly awaiting: Awaiting | null;
  readonly selections: Readonly<Record<string, Selection>>;
}

export const selectionKey = (tenant: string, number: number): string => `${tenant}:${number}`;

export async function loadConversation(db: Db, telegramUserId: number): Promise<Conversation> {
  const doc = await botConversationModel(db.connection).findOne({ telegramUserId }).lean().exec();
  return {
    tenant: doc?.tenant ?? null,
    awaiting: (doc?.awaiting as Awaiting | null | undefined) ?? null,
    selections: (doc?.selections as Record<string, Selection> | undefined) ?? {},
  };
}

async function update(db: Db, telegramUserId: number, change: Record<string, unknown>, now: Date): Promise<void> {
  await botConversationModel(db.connection).updateOne(
    { telegramUserId },
    { ...change, $set: { ...((change.$set as object | undefined) ?? {}), updatedAt: now }, $setOnInsert: { telegramUserId } } as never,
    { upsert: true },
  ).exec();
}

export async function chooseTenant(db: Db, telegramUserId: number, tenant: string, now: Date): Promise<void> {
  await update(db, telegramUserId, { $set: { tenant } }, now);
}

export async function setAwaiting(db: Db, telegramUserId: number, awaiting: Awaiting | null, now: Date): Promise<void> {
  await update(db, telegramUserId, { $set: { awaiting } }, now);
}

/** A photo sent before the draft's text: kept with the awaited draft (000 [16], 003 [8]). */
export async function addAwaitedAttachment(db: Db, telegramUserId: number, attachment: Attachment, now: Date): Promise<void> {
  await update(db, telegramUserId, { $push: { 'awaiting.attachments': attachment } }, now);
}

export async function setSelection(db: Db, telegramUserId: number, key: string, selection: Selection | null, now: Date): Promise<void> {
  // Dots in the key would nest: tenant names are codes without dots (config/tenant-schema.ts).
  const path = `selections.${key}`;
  await update(db, telegramUserId, selection === null ? { $unset: { [path]: '' } } : { $set: { [path]: selection } }, now);
}
