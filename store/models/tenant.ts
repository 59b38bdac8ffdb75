import { Schema, type Connection } from 'mongoose';
import { modelOn } from './shared.js';

const accountSchema = new Schema(
  {
    network: { type: String, enum: ['vk', 'ok', 'telegram', 'max'], required: true },
    /** The admin's name for the account, unique within the tenant (e.g. "vk-main"). */
    name: { type: String, required: true },
    /** VK community id, OK group id, Telegram channel/discussion chat ids. */
    groupId: { type: String },
    discussionChatIds: { type: [String], default: undefined },
    /** Names of environment variables that hold secrets: never the secrets themselves. */
    tokenEnv: { type: String, required: true },
    userTokenEnv: { type: String },
    applicationKeyEnv: { type: String },
    applicationSecretEnv: { type: String },
    /** Base URL override: the sandbox, or a proxy in front of the API. */
    apiBaseUrl: { type: String },
    keywordLists: { type: [String], default: [] },
    enabled: { type: Boolean, default: true },
  },
  { _id: false },
);

const tenantSchema = new Schema(
  {
    /** Short identifier used on the command line and in every other document. */
    name: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    timeZone: { type: String, required: true },
    regulationProfile: {
      id: { type: String, required: true },
      overrides: { type: Schema.Types.Mixed, default: {} },
    },
    /** workflow/office-hours.ts OfficeHours; null: the default schedule. */
    officeHours: { type: Schema.Types.Mixed, default: null },
    topics: { type: [String], default: [] },
    accounts: { type: [accountSchema], default: [] },
    /**
     * The active version of each section (store/config-versions.ts): an import writes a new
     * version beside the old one and switches these in one update with the tenant's own
     * fields, so readers see the old configuration or the new one, never half of each.
     */
    versions: {
      departments: { type: Number, default: 0 },
      staff: { type: Number, default: 0 },
      keywordLists: { type: Number, default: 0 },
      gazetteer: { type: Number, default: 0 },
    },
    /** Bumped by every change of the configuration: the fence of an import's switch. */
    revision: { type: Number, default: 0 },
    /**
     * Active staff by Telegram user id ("100001" → "petrova"), switched with the staff
     * version: how the staff bot finds a person without scanning the staff.
     */
    telegramStaff: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'tenants', timestamps: true, minimize: false },
);

export function tenantModel(connection: Connection) {
  return modelOn(connection, 'Tenant', tenantSchema);
}
