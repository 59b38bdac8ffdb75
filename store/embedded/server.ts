import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { EmbeddedStoreError } from './errors.js';
import { CLASSES_DIR, DATA_FILE_NAME, LIB_DIR, LOG_FILE_NAME } from './paths.js';
import { chooseHeap, pageCacheMb, type HeapChoice } from './heap.js';
import { javaTool, setupEmbeddedStore } from './setup.js';

export interface EmbeddedStoreOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir: string;
  /** The JVM's heap cap (uncapped it grew to 2.2 GiB under load); null: sized from the data file. */
  readonly heapMb: number | null;
  /** More JVM options (OTKLIK_STORE_JVM_OPTIONS), after the project's own so that they win. */
  readonly jvmOptions?: readonly string[];
  readonly startTimeoutMs?: number;
}

export interface EmbeddedStore {
  readonly uri: string;
  readonly host: string;
  readonly port: number;
  readonly dataFile: string;
  readonly logFile: string;
  readonly pid: number;
  /** The heap it was given, and why. */
  readonly heap: HeapChoice;
  /** SIGTERM, so that H2 closes its file cleanly; SIGKILL only if it hangs. */
  stop(): Promise<void>;
  /** Resolves when the server process exits, for whatever reason. */
  readonly exited: Promise<number | null>;
}

function ensureWritableDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (error) {
    throw new EmbeddedStoreError(
      `The data folder ${dataDir} cannot be created or written (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      'Give this user write access to it, or set OTKLIK_DATA_DIR to a writable folder.',
    );
  }
}

async function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new EmbeddedStoreError(`Port ${port} on ${host} is already taken by another program.`, `Stop that program (\`ss -ltnp | grep ${port}\` shows which), or set OTKLIK_STORE_PORT to a free port.`)
          : new EmbeddedStoreError(`Cannot listen on ${host}:${port} (${error.code ?? error.message}).`, 'Set OTKLIK_STORE_HOST / OTKLIK_STORE_PORT to an address this machine can bind.'),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function logTail(logFile: string, lines = 20): string {
  try {
    return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** True when something at the address answers MongoDB's `ping`. */
export async function pingStore(uri: string, timeoutMs = 1500): Promise<boolean> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs, directConnection: true });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * G1 with short pauses, unless the admin chose a collector (OTKLIK_STORE_JVM_OPTIONS). The
 * serial collector paused the store 20-340 ms on young collections and 700 ms on full ones
 * under load (GC log of bench/pipeline.ts), and every request in flight waited; with G1 the
 * longest pause in the same run was 115 ms, the median 16 ms, and no full collection.
 */
function collectorOptions(jvmOptions: readonly string[]): string[] {
  return jvmOptions.some((o) => /^-XX:\+Use\w+GC$/.test(o)) ? [] : ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20'];
}

/**
 * Starts mongo-java-server with the H2 backend and resolves once it answers `ping`.
 * A second start reuses the jars and the data file.
 */
export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  setupEmbeddedStore();
  ensureWritableDir(options.dataDir);
  await ensurePortFree(options.host, options.port);
  const dataFile = path.join(options.dataDir, DATA_FILE_NAME);
  const logFile = path.join(options.dataDir, LOG_FILE_NAME);
  const heap = chooseHeap(dataFile, options.heapMb);
  const logFd = fs.openSync(logFile, 'a');
  fs.writeSync(logFd, `\n--- ${new Date().toISOString()} starting embedded store on ${options.host}:${options.port} with ${dataFile}\n`);
  const child: ChildProcess = spawn(
    javaTool('java'),
    [`-Xmx${heap.heapMb}m`, ...collectorOptions(options.jvmOptions ?? []), '-XX:+ExitOnOutOfMemoryError', ...(options.jvmOptions ?? []), '-cp', `${path.join(LIB_DIR, '*')}${path.delimiter}${CLASSES_DIR}`, 'Launcher', options.host, String(options.port), dataFile, String(pageCacheMb(heap.heapMb))],
    { stdio: ['ignore', 'pipe', logFd], detached: false },
  );
  fs.closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const bound = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EmbeddedStoreError(`The embedded store did not come up within ${(options.startTimeoutMs ?? 30000) / 1000} s. Last lines of ${logFile}:\n${logTail(logFile)}`, 'Read the log above; remove a stale lock or a damaged data file only after backing it up.'));
    }, options.startTimeoutMs ?? 30000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      fs.appendFileSync(logFile, chunk);
      const match = /READY ([^\s:]+):(\d+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve({ host: match[1] ?? options.host, port: Number(match[2]) });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new EmbeddedStoreError(`The embedded store exited (code ${code}) before it was ready. Last lines of ${logFile}:\n${logTail(logFile)}`, 'Read the log above: a data file locked by another running store, a full disk or a damaged data file are the usual causes.'));
    });
  });

  const uri = `mongodb://${bound.host}:${bound.port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
  while (!(await pingStore(uri))) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new EmbeddedStoreError(`The embedded store at ${uri} does not answer ping. Last lines of ${logFile}:\n${logTail(logFile)}`, 'Read the log above.');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(killer);
    })();
    return stopping;
  };
  return { uri, host: bound.host, port: bound.port, dataFile, logFile, pid: child.pid ?? -1, heap, stop, exited };
}
