import mongoose, { type Connection } from 'mongoose';
import { loadSettings, type Settings } from '../config/settings.js';
import { MODEL_FACTORIES } from './models/index.js';
import { pingStore, startEmbeddedStore, type EmbeddedStore } from './embedded/server.js';
import { isStaffActive, recipientsOf, staffByTelegramId, staffMember } from './bot-directory.js';
import { migrateConfigVersions } from './config-migration.js';
import { addAwaitedAttachment, chooseTenant, loadConversation, setAwaiting, setSelection } from './bot-conversations.js';
import { loadCalendarYears, saveCalendarYear } from './calendar-years.js';
import { loadActiveModel, loadCorrections, loadTenantClassifier, loadTenantTopics, recordCorrection, retrainTenant, saveModelVersion } from './classifier.js';
import { loadCursor, saveCursor } from './cursors.js';
import type { Db } from './db.js';
import { deadlineRepositoryOf } from './deadline-watch.js';
import { StoreUnavailableError } from './errors.js';
import { incidentRepositoryOf } from './incidents.js';
import { anonymiseBefore, eraseAuthor, exportAuthor, retentionDays, setRetentionDays } from './personal-data.js';
import { readsOf, recordRead } from './read-register.js';
import { ingestStoreOf } from './ingest-store.js';
import { maintenanceOf } from './maintenance.js';
import { messageRepositoryOf } from './messages.js';
import { noticeRepositoryOf } from './notices.js';
import { attachmentRepositoryOf } from './attachments.js';
import type { Store } from './port.js';
import { publicationRepositoryOf } from './publication.js';
import { repeatLogOf } from './repeat-log.js';
import { countsByHourOfDay, countsByKey } from './activity.js';
import { forgetRecord, hasRecord, highImportanceSince, recordOnce } from './report-events.js';
import {
  incidentSubjects, loadTenantDirectory, reportAnswers, reportCounts, reportDeadlines, reportProblems, reportRejections, reportRepeats,
} from './report-queries.js';
import {
  existingCodes, exportDepartments, exportGazetteer, exportKeywordLists, exportStaff, exportTenantFile, importDepartments, importGazetteer,
  importKeywordLists, importStaff, importTenantFile, listTenants, loadNetworkAccounts,
} from './tenant-config.js';
import { loadTenantRuntime } from './tenant-runtime.js';
import { addAbsence, setProfileOverrides, tenantProfile, tenantRegulation } from './tenant-settings.js';
import { workQueueOf } from './work-queue.js';

export { StoreUnavailableError };
export type { Store };

// Queries built from admin files or API payloads must not turn "$"-keys into operators:
// strictQuery drops unknown paths from filters; queries keyed by admin-file values set
// sanitizeFilter (store/tenant-config.ts); API payloads are stored with their "$" and "."
// keys escaped (store/sanitize.ts) and never used as filters.
mongoose.set('strictQuery', true);

export interface OpenStoreOptions {
  /** Overrides MONGODB_URI / the embedded address. */
  readonly uri?: string;
  readonly dbName?: string;
  readonly settings?: Settings;
  /**
   * Without MONGODB_URI: "if-not-running" starts the embedded server for this process
   * when nothing answers at its address (the CLI); "never" waits for the one pm2 runs
   * (workers).
   */
  readonly embedded?: 'if-not-running' | 'never';
  /** How long to wait for the server to answer before giving up. */
  readonly connectTimeoutMs?: number;
}

/** The URI with any password replaced, for logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

async function initModels(connection: Connection): Promise<void> {
  // mongo-java-server broke ("Map … is closed") and once left a unique index unbuilt when
  // other operations ran while mongoose built indexes in the background: so build them
  // here, one model after another, and only then hand the store out.
  for (const factory of MODEL_FACTORIES) {
    const model = factory(connection);
    await model.createCollection().catch((error: { codeName?: string; code?: number }) => {
      if (error.codeName !== 'NamespaceExists' && error.code !== 48) throw error;
    });
    await model.createIndexes();
  }
}

export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const settings = options.settings ?? loadSettings();
  const dbName = options.dbName ?? settings.dbName;
  let uri = options.uri ?? settings.mongodbUri;
  let embedded: EmbeddedStore | undefined;
  let description: string;
  if (uri) {
    description = `MongoDB at ${redactUri(uri)}, database "${dbName}"`;
  } else {
    uri = `mongodb://${settings.storeHost}:${settings.storePort}`;
    if (options.embedded === 'if-not-running' && !(await pingStore(uri))) {
      embedded = await startEmbeddedStore({ host: settings.storeHost, port: settings.storePort, dataDir: settings.dataDir, heapMb: settings.storeHeapMb, jvmOptions: settings.storeJvmOptions });
      uri = embedded.uri;
    }
    description = `embedded mongo-java-server (H2) at ${uri}, database "${dbName}", data in ${settings.dataDir}`;
  }
  const connection = mongoose.createConnection(uri, {
    dbName,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: options.connectTimeoutMs ?? 30000,
  });
  try {
    await connection.asPromise();
    await initModels(connection);
    await migrateConfigVersions({ connection, dbName });
  } catch (error) {
    await connection.close().catch(() => undefined);
    await embedded?.stop();
    throw new StoreUnavailableError(`Cannot use the store (${description}): ${error instanceof Error ? error.message : String(error)}`);
  }
  let closing: Promise<void> | undefined;
  const db: Db = { connection, dbName };
  const built: Store = bind(db, description, uri, () => {
    closing ??= (async () => {
      await connection.close();
      await embedded?.stop();
    })();
    return closing;
  });
  internals.set(built, db);
  return built;
}

/** The store's own handle on a Store (for store/ modules and store tests only). */
const internals = new WeakMap<Store, Db>();

export function dbOf(store: Store): Db {
  const db = internals.get(store);
  if (!db) throw new Error('not a store opened by openStore()');
  return db;
}

/** The port over one database: every repository bound to the store's handle. */
function bind(db: Db, description: string, uri: string, close: () => Promise<void>): Store {
  return {
    description,
    dbName: db.dbName,
    tenants: {
      list: () => listTenants(db),
      runtime: (tenant) => loadTenantRuntime(db, tenant),
      directory: (tenant) => loadTenantDirectory(db, tenant),
      accounts: (network) => loadNetworkAccounts(db, network),
      importFile: (file, options) => importTenantFile(db, file, options),
      importDepartments: (tenant, entries, options) => importDepartments(db, tenant, entries, options),
      importStaff: (tenant, entries, options) => importStaff(db, tenant, entries, options),
      importKeywordLists: (tenant, entries, options) => importKeywordLists(db, tenant, entries, options),
      importGazetteer: (tenant, entries, options) => importGazetteer(db, tenant, entries, options),
      exportFile: (tenant) => exportTenantFile(db, tenant),
      exportDepartments: (tenant) => exportDepartments(db, tenant),
      exportStaff: (tenant) => exportStaff(db, tenant),
      exportKeywordLists: (tenant) => exportKeywordLists(db, tenant),
      exportGazetteer: (tenant) => exportGazetteer(db, tenant),
      existingCodes: (tenant) => existingCodes(db, tenant),
      profile: (tenant) => tenantProfile(db, tenant),
      setProfileOverrides: (tenant, overrides, presetId) => setProfileOverrides(db, tenant, overrides, presetId),
      addAbsence: (tenant, code, input) => addAbsence(db, tenant, code, input),
      topics: (tenant) => loadTenantTopics(db, tenant),
      regulation: (tenant) => tenantRegulation(db, tenant),
    },
    staff: {
      byTelegramId: (id) => staffByTelegramId(db, id),
      recipients: (tenant, to, staff, now) => recipientsOf(db, tenant, to, staff, now),
      isActive: (tenant, code) => isStaffActive(db, tenant, code),
      member: (tenant, code) => staffMember(db, tenant, code),
    },
    messages: messageRepositoryOf(db),
    cursors: {
      load: (tenant, network, account, stream) => loadCursor(db, tenant, network, account, stream),
      save: (tenant, network, account, value, stream) => saveCursor(db, tenant, network, account, value, stream),
    },
    ingest: ingestStoreOf(db),
    incidents: { ...incidentRepositoryOf(db), recordRead: (read) => recordRead(db, read), readsOf: (tenant, number, limit) => readsOf(db, tenant, number, limit) },
    work: workQueueOf(db),
    notices: noticeRepositoryOf(db),
    attachments: attachmentRepositoryOf(db),
    publication: publicationRepositoryOf(db),
    deadlines: deadlineRepositoryOf(db),
    classifier: {
      recordCorrection: (tenant, correction) => recordCorrection(db, tenant, correction),
      corrections: (tenant) => loadCorrections(db, tenant),
      activeModel: (tenant) => loadActiveModel(db, tenant),
      saveModel: (tenant, model) => saveModelVersion(db, tenant, model),
      retrain: (tenant, now) => retrainTenant(db, tenant, now),
      forTenant: (tenant) => loadTenantClassifier(db, tenant),
    },
    repeats: repeatLogOf(db),
    reports: {
      recordOnce: (tenant, key, kind, detail, now) => recordOnce(db, tenant, key, kind, detail, now),
      forget: (tenant, key) => forgetRecord(db, tenant, key),
      has: (tenant, key) => hasRecord(db, tenant, key),
      counts: (tenant, period) => reportCounts(db, tenant, period),
      deadlines: (tenant, period) => reportDeadlines(db, tenant, period),
      answers: (tenant, period) => reportAnswers(db, tenant, period),
      rejections: (tenant, period) => reportRejections(db, tenant, period),
      problems: (tenant, period, limit) => reportProblems(db, tenant, period, limit),
      repeats: (tenant, period, limit) => reportRepeats(db, tenant, period, limit),
      subjects: (tenant, numbers) => incidentSubjects(db, tenant, numbers),
      highImportanceSince: (tenant, since) => highImportanceSince(db, tenant, since),
      countsByKey: (tenant, key, from, to, withNumbers) => countsByKey(db, tenant, key, from, to, withNumbers),
      countsByHourOfDay: (tenant, from, to, timeZone) => countsByHourOfDay(db, tenant, from, to, timeZone),
    },
    personalData: {
      retentionDays: (tenant) => retentionDays(db, tenant),
      setRetentionDays: (tenant, days) => setRetentionDays(db, tenant, days),
      exportAuthor: (author) => exportAuthor(db, author),
      eraseAuthor: (author, now) => eraseAuthor(db, author, now),
      anonymiseBefore: (tenant, before, now, limit) => anonymiseBefore(db, tenant, before, now, limit),
    },
    calendar: {
      save: (year, now) => saveCalendarYear(db, year, now),
      years: () => loadCalendarYears(db),
    },
    conversations: {
      load: (id) => loadConversation(db, id),
      chooseTenant: (id, tenant, now) => chooseTenant(db, id, tenant, now),
      setAwaiting: (id, awaiting, now) => setAwaiting(db, id, awaiting, now),
      addAwaitedAttachment: (id, attachment, now) => addAwaitedAttachment(db, id, attachment, now),
      setSelection: (id, key, selection, now) => setSelection(db, id, key, selection, now),
    },
    maintenance: maintenanceOf(db, uri),
    close,
  };
}
