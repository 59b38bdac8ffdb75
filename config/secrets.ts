import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Tokens and passwords (issue 12 point 8). pm2 copies the environment of the command that
 * starts it into every app and `pm2 save` writes that copy to ~/.pm2/dump.pm2, readable by
 * others: a token exported in the shell ends up there in plain text. So secrets live in a
 * file only its owner can read (`OTKLIK_SECRETS_FILE`, default `./secrets.env`, `NAME=value`
 * lines as dotenv writes them), each worker reads it when it starts, and `npm start` keeps
 * them out of the environment it gives pm2 (pm2Environment below).
 */
export const DEFAULT_SECRETS_FILE = 'secrets.env';

/** Names that hold a secret by their shape: a token exported in the shell is refused by `npm start`. */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD)$/i;

export class SecretsFileError extends Error {
  override readonly name = 'SecretsFileError';
  /** Nothing changes until the admin fixes the file. */
  readonly retryable = false;
}

export interface SecretsFile {
  /** Absolute path; null when no file is configured and the default one is absent. */
  readonly file: string | null;
  readonly values: Readonly<Record<string, string>>;
}

export function secretsFilePath(env: NodeJS.ProcessEnv, cwd: string): { file: string; explicit: boolean } {
  const named = env.OTKLIK_SECRETS_FILE?.trim();
  return { file: path.resolve(cwd, named || DEFAULT_SECRETS_FILE), explicit: Boolean(named) };
}

/**
 * Reads the secrets file, refusing one that anyone but its owner may read or write: the
 * check is the point of the file. The default file may be absent (a development checkout
 * runs on the sandbox); a file named by OTKLIK_SECRETS_FILE must be there.
 */
export function readSecretsFile(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): SecretsFile {
  const { file, explicit } = secretsFilePath(env, cwd);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) return { file: null, values: {} };
    throw new SecretsFileError(`Файл секретов ${file} (OTKLIK_SECRETS_FILE) не найден или недоступен: ${(error as Error).message}`);
  }
  if (!stat.isFile()) throw new SecretsFileError(`Файл секретов ${file} — не обычный файл.`);
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SecretsFileError(
      `Файл секретов ${file} доступен не только владельцу (права ${mode.toString(8).padStart(3, '0')}): ` +
        `токены из него не читаются. Выполните: chmod 600 ${file}`,
    );
  }
  let values: Record<string, string>;
  try {
    values = parseEnv(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new SecretsFileError(`Файл секретов ${file} не прочитан: ${(error as Error).message}`);
  }
  return { file, values };
}

/**
 * What a worker starts with: its environment and the secrets file over it. The file wins,
 * so rotating a token is editing the file and reloading the process, whatever environment
 * pm2 kept from an earlier start.
 */
export function loadSecretsInto(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): SecretsFile {
  const secrets = readSecretsFile(env, cwd);
  for (const [name, value] of Object.entries(secrets.values)) env[name] = value;
  return secrets;
}

/** Whether a variable holds a secret: named in the secrets file, shaped like a token, or a database URI with a password. */
export function isSecretVariable(name: string, value: string | undefined, fileNames: ReadonlySet<string>): boolean {
  if (fileNames.has(name)) return true;
  if (name === 'MONGODB_URI') return value !== undefined && /:\/\/[^/@:]+:[^/@]+@/.test(value);
  return SECRET_NAME.test(name);
}

export class SecretsInEnvironmentError extends Error {
  override readonly name = 'SecretsInEnvironmentError';
  readonly retryable = false;
  constructor(readonly variables: readonly string[], file: string) {
    super(
      `В окружении заданы секреты: ${variables.join(', ')}. pm2 передал бы их каждому процессу, а «pm2 save» записал бы их ` +
        `в ~/.pm2/dump.pm2 в открытом виде. Перенесите их в ${file} (строки ИМЯ=значение, chmod 600) и уберите из окружения (unset).`,
    );
  }
}

/**
 * The environment `npm start` gives pm2: its own without any secret. One of the system's
 * secrets set in the environment but not in the file is refused (the workers would not find
 * it once removed); other token-shaped variables are left out without a word;
 * `extraNames` are the variables the tenants' accounts name (tokenEnv and the like).
 */
export function pm2Environment(env: NodeJS.ProcessEnv, secrets: SecretsFile, secretsFile: string, extraNames: Iterable<string> = []): NodeJS.ProcessEnv {
  const fileNames = new Set(Object.keys(secrets.values));
  const named = new Set(extraNames);
  const out: NodeJS.ProcessEnv = {};
  const stray: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (isSecretVariable(name, value, fileNames) || named.has(name)) {
      // Same value as the file (the file was loaded into this process): nothing is lost by
      // dropping it. One of ours missing from the file is refused; a token of something else
      // (GITHUB_TOKEN, NPM_TOKEN in a developer's shell) is only kept away from pm2.
      const ours = named.has(name) || fileNames.has(name) || name === 'MONGODB_URI' || name.startsWith('OTKLIK_');
      if (ours && secrets.values[name] !== value) stray.push(name);
      continue;
    }
    out[name] = value;
  }
  if (stray.length > 0) throw new SecretsInEnvironmentError(stray.sort(), secretsFile);
  return out;
}
