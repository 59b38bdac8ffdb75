import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testStoreUri } from './store.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real `./bin/otklik` against a test database, as an admin would run it. */
export function runOtklik(dbName: string, args: readonly string[], input = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: dbName, LOG_LEVEL: 'silent' };
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/otklik'), ...args], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
