import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { testStoreUri } from '../support/store.js';

interface LogLine {
  msg: string;
  level: number;
  [key: string]: unknown;
}

function startWorker(role: string[], env: Record<string, string>): { child: ChildProcessWithoutNullStreams; lines: LogLine[]; waitFor(pattern: RegExp, timeoutMs?: number): Promise<LogLine>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/launch.js', ...role], { env: { ...process.env, ...env, LOG_LEVEL: 'info' } });
  const lines: LogLine[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: LogLine) => void }> = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      for (const w of [...waiters]) if (w.pattern.test(line.msg)) w.resolve(line);
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exit,
    waitFor: (pattern, timeoutMs = 30000) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => pattern.test(l.msg));
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no log line ${pattern} within ${timeoutMs} ms; got: ${lines.map((l) => l.msg).join(' | ')}`)), timeoutMs);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      }),
  };
}

async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('worker processes', () => {
  it('log first which store and tenants they serve, and stop cleanly on SIGTERM', async () => {
    const worker = startWorker(['classifier'], { MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: `worker_${process.pid}` });
    const first = await worker.waitFor(/worker started/);
    expect(worker.lines[0]).toBe(first);
    expect(first.store).toContain(testStoreUri());
    expect(first.msg).toContain('tenants: none yet');
    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(0);
    expect(worker.lines.at(-1)?.msg).toBe('stopped');
  });

  it('wait for an unreachable store with backoff instead of crash-looping, and still stop cleanly', async () => {
    const worker = startWorker(['publisher'], { MONGODB_URI: `mongodb://127.0.0.1:${await unusedPort()}` });
    const waiting = await worker.waitFor(/store not reachable yet; waiting/, 30000);
    expect(waiting.waitMs).toEqual(expect.any(Number));
    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(0);
    expect(worker.lines.at(-1)?.msg).toBe('stopped before the store was reachable');
  });

  it('refuse an unknown network with a usage line', async () => {
    const worker = startWorker(['connector', 'facebook'], { MONGODB_URI: testStoreUri() });
    let stderr = '';
    worker.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await worker.exit).toBe(2);
    expect(stderr).toContain('usage: workers/launch.js connector [vk ok telegram max] (unknown: facebook)');
  });
});
