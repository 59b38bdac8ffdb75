import path from 'node:path';
import { z } from 'zod';

/**
 * Process-wide settings from the environment. Everything a deployment may change is
 * here, validated once, with the variable named in the error.
 */
const settingsSchema = z.object({
  MONGODB_URI: z.string().trim().min(1).optional(),
  OTKLIK_DB_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, "_" or "-" only').default('otklik'),
  OTKLIK_DATA_DIR: z.string().min(1).default('data'),
  OTKLIK_STORE_HOST: z.string().min(1).default('127.0.0.1'),
  OTKLIK_STORE_PORT: z.coerce.number().int().min(0).max(65535).default(27117),
  OTKLIK_STORE_HEAP_MB: z.coerce.number().int().min(64).max(32768).optional(),
  OTKLIK_STORE_JVM_OPTIONS: z.string().trim().regex(/^(-\S+(\s+-\S+)*)?$/, 'JVM options separated by spaces, each starting with "-" (e.g. "-Xlog:gc:file=gc.log")').default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Settings {
  /** Set: a real MongoDB 6/7. Unset: the embedded server. */
  readonly mongodbUri: string | undefined;
  readonly dbName: string;
  /** Absolute path of the folder that holds the embedded store's data file. */
  readonly dataDir: string;
  readonly storeHost: string;
  readonly storePort: number;
  /** The embedded store's heap; null: sized from its data file (store/embedded/heap.ts). */
  readonly storeHeapMb: number | null;
  /** More JVM options for the embedded store (GC logs, another collector), after the project's own. */
  readonly storeJvmOptions: readonly string[];
  readonly logLevel: string;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `environment variable ${issue.path.join('.')}: ${issue.message}`);
    throw new SettingsError(lines.join('\n'));
  }
  const s = parsed.data;
  return {
    mongodbUri: s.MONGODB_URI,
    dbName: s.OTKLIK_DB_NAME,
    dataDir: path.resolve(cwd, s.OTKLIK_DATA_DIR),
    storeHost: s.OTKLIK_STORE_HOST,
    storePort: s.OTKLIK_STORE_PORT,
    storeHeapMb: s.OTKLIK_STORE_HEAP_MB ?? null,
    storeJvmOptions: s.OTKLIK_STORE_JVM_OPTIONS === '' ? [] : s.OTKLIK_STORE_JVM_OPTIONS.split(/\s+/),
    logLevel: s.LOG_LEVEL,
  };
}
