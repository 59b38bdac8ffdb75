import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

/**
 * The staff bot's conversation with one Telegram user, kept in the store so that a bot
 * restart (pm2, a deploy, a crash) loses nothing: the tenant the user chose, the text
 * the bot waits for (a draft, a comment, a location) and the curator's choices on a card
 * not yet routed (topic, location, importance, the departments in order).
 */
const conversationSchema = new Schema(
  {
    telegramUserId: { type: Number, required: true },
    /** The tenant a user registered in several has chosen for /due and typed commands. */
    tenant: { type: String, default: null },
    /** { tenant, number, revision, state, purpose, draftKind, attachments } or null. */
    awaiting: { type: Schema.Types.Mixed, default: null },
    /** "tenant:number" → { topic, location, importance, departments } */
    selections: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'botconversations', versionKey: false, minimize: false },
);
conversationSchema.index({ telegramUserId: 1 }, { unique: true });

export function botConversationModel(connection: Connection) {
  return modelOn(connection, 'BotConversation', conversationSchema);
}
