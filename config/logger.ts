import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One structured logger per process. Tokens never reach it: connectors redact them
 * before logging, and these paths are censored as a second line of defence.
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid, role: name },
    redact: { paths: ['token', '*.token', 'accessToken', '*.accessToken', 'access_token', '*.access_token', 'secret', '*.secret'], censor: '[set]' },
  });
}
