import { createLogger } from '../config/logger.js';
import { loadSettings } from '../config/settings.js';
import { startEmbeddedStore } from '../store/embedded/server.js';

/**
 * The embedded store as a pm2 process (only when MONGODB_URI is not set): starts
 * mongo-java-server on the configured port and stops it cleanly on SIGINT/SIGTERM,
 * because H2 needs a clean close of its file.
 */
const settings = loadSettings();
const log = createLogger('store', settings.logLevel);
if (settings.mongodbUri) {
  log.info('MONGODB_URI is set: the embedded store is not used; exiting');
} else {
  const server = await startEmbeddedStore({ host: settings.storeHost, port: settings.storePort, dataDir: settings.dataDir, heapMb: settings.storeHeapMb, jvmOptions: settings.storeJvmOptions });
  log.info({ uri: server.uri, dataFile: server.dataFile, logFile: server.logFile, heapMb: server.heap.heapMb, dataMb: server.heap.dataMb }, `embedded store up at ${server.uri}; data in ${server.dataFile}; heap ${server.heap.reason}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping the embedded store');
    await server.stop();
    log.info('embedded store stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const code = await server.exited;
  if (!stopping) {
    log.error({ code, logFile: server.logFile }, 'the embedded store exited on its own');
    process.exit(1);
  }
}
