import { spawn, type ChildProcess } from 'node:child_process';

/** Real worker processes (workers/launch.js) against a test database, for end-to-end tests. */
export interface WorkerProcess {
  readonly role: string[];
  child: ChildProcess;
  restart(): void;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startWorker(role: string[], env: Record<string, string>): WorkerProcess {
  const spawnOne = () => spawn(process.execPath, ['--import', 'tsx', 'workers/launch.js', ...role], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const worker: WorkerProcess = {
    role,
    child: spawnOne(),
    restart() {
      worker.child = spawnOne();
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const child = worker.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 25000);
      await exited;
      clearTimeout(timer);
    },
  };
  return worker;
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
