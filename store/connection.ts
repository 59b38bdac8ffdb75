import mongoose, { type Connection } from 'mongoose';
import { loadSettings, type Settings } from '../config/settings.js';
import { MODEL_FACTORIES } from './models/index.js';
import { pingStore, startEmbeddedStore, type EmbeddedStore } from './embedded/server.js';

// Queries built from admin files or API payloads must not turn "$"-keys into operators:
// strictQuery drops unknown paths from filters; queries keyed by admin-file values set
// sanitizeFilter (store/tenant-config.ts); API payloads are stored with their "$" and "."
// keys escaped (store/sanitize.ts) and never used as filters.
mongoose.set('strictQuery', true);

export interface Store {
  /** Only store/ uses it: nothing outside store/ imports mongoose (STYLE 6). */
  readonly connection: Connection;
  readonly dbName: string;
  /** One line for logs: which server, which database, where the data lives. */
  readonly description: string;
  close(): Promise<void>;
}

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

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** The server may come back: callers wait and reconnect. */
  readonly retryable = true;
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
      embedded = await startEmbeddedStore({ host: settings.storeHost, port: settings.storePort, dataDir: settings.dataDir, heapMb: settings.storeHeapMb });
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
  } catch (error) {
    await connection.close().catch(() => undefined);
    await embedded?.stop();
    throw new StoreUnavailableError(`Cannot use the store (${description}): ${error instanceof Error ? error.message : String(error)}`);
  }
  let closing: Promise<void> | undefined;
  return {
    connection,
    dbName,
    description,
    close: () => {
      closing ??= (async () => {
        await connection.close();
        await embedded?.stop();
      })();
      return closing;
    },
  };
}
