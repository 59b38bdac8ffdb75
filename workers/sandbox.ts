import { createLogger } from '../config/logger.js';
import { startSandbox } from '../sandbox/server.js';

/**
 * The local stand-in for VK, OK and Telegram while no tenant has real tokens (README
 * command 1): it emits scripted citizens' messages and records every answer it receives.
 */
const log = createLogger('sandbox', process.env.LOG_LEVEL ?? 'info');
const port = Number(process.env.OTKLIK_SANDBOX_PORT ?? 8787);
const emitIntervalMs = Number(process.env.OTKLIK_SANDBOX_EMIT_MS ?? 15000);
const sandbox = await startSandbox({ port, emitIntervalMs });
log.info({ url: sandbox.url, emitIntervalMs }, `sandbox of VK, OK, Telegram and MAX at ${sandbox.url}; answers it received: ${sandbox.url}/_sandbox/recorded`);
const stop = async (signal: string) => {
  log.info({ signal }, 'stopping the sandbox');
  await sandbox.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
