import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { EmbeddedStoreError } from '../../store/embedded/errors.js';
import { startEmbeddedStore, type EmbeddedStore } from '../../store/embedded/server.js';
import { setupEmbeddedStore } from '../../store/embedded/setup.js';

const dirs: string[] = [];
const servers: EmbeddedStore[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-embedded-'));
  dirs.push(dir);
  return dir;
}
async function start(dataDir: string, port = 0): Promise<EmbeddedStore> {
  const server = await startEmbeddedStore({ host: '127.0.0.1', port, dataDir, heapMb: 320 });
  servers.push(server);
  return server;
}
async function withClient<T>(uri: string, work: (db: mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const client = new mongoose.mongo.MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 5000 });
  await client.connect();
  try {
    return await work(client.db('durability'));
  } finally {
    await client.close(true);
  }
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded store (mongo-java-server, H2 backend)', () => {
  it('keeps its data across a clean stop and start', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await withClient(first.uri, (db) => db.collection('notes').insertOne({ text: 'сохранится' }));
    await first.stop();
    const second = await start(dir);
    expect(second.dataFile).toBe(path.join(dir, 'otklik.mv.db'));
    expect(await withClient(second.uri, (db) => db.collection('notes').countDocuments({ text: 'сохранится' }))).toBe(1);
    await second.stop();
  });

  it('runs with a collector the admin chose instead of its own (OTKLIK_STORE_JVM_OPTIONS), and says which in its log', async () => {
    const dir = tempDir();
    const server = await startEmbeddedStore({ host: '127.0.0.1', port: 0, dataDir: dir, heapMb: 320, jvmOptions: ['-XX:+UseSerialGC', '-Xlog:gc:stdout'] });
    servers.push(server);
    await withClient(server.uri, (db) => db.collection('notes').insertOne({ text: 'сохранится' }));
    await server.stop();
    expect(fs.readFileSync(server.logFile, 'utf8')).toContain('Using Serial');
  });

  it('loses no acknowledged write when the server is killed with SIGKILL', async () => {
    const dir = tempDir();
    const server = await start(dir);
    await withClient(server.uri, async (db) => {
      for (let i = 0; i < 300; i++) await db.collection('acks').insertOne({ i });
      await db.collection('acks').updateOne({ i: 299 }, { $set: { last: true } });
      // Many writers at once, as the workers are: their commands finish while others run,
      // and are committed together (group commit); each still acknowledged only once durable.
      await Promise.all(Array.from({ length: 12 }, async (_, writer) => {
        for (let i = 0; i < 50; i++) await db.collection('together').insertOne({ writer, i });
        await db.collection('together').updateOne({ writer, i: 49 }, { $set: { last: true } });
      }));
    });
    process.kill(server.pid, 'SIGKILL');
    await server.exited;
    const restarted = await start(dir);
    const stored = await withClient(restarted.uri, (db) => db.collection('acks').find({}).toArray());
    expect(stored).toHaveLength(300);
    expect(stored.find((d) => d.i === 299)?.last).toBe(true);
    const together = await withClient(restarted.uri, (db) => db.collection('together').find({}).toArray());
    expect(together).toHaveLength(600);
    expect(together.filter((d) => d.last === true).map((d) => d.writer).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, w) => w));
    await restarted.stop();
  });

  it('says which port is taken and how to choose another', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const error = await start(tempDir(), port).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbeddedStoreError);
      expect((error as Error).message).toContain(`Port ${port} on 127.0.0.1 is already taken`);
      expect((error as Error).message).toContain('OTKLIK_STORE_PORT');
    } finally {
      blocker.close();
    }
  });

  it('says which data folder cannot be written', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const error = await start(path.join(file, 'data')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedStoreError);
    expect((error as Error).message).toContain(`The data folder ${path.join(file, 'data')} cannot be created or written`);
    expect((error as Error).message).toContain('OTKLIK_DATA_DIR');
  });

  it('shows the tail of its log when the server does not come up (data file held by another server)', async () => {
    const dir = tempDir();
    const holder = await start(dir);
    const error = await start(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedStoreError);
    expect((error as Error).message).toMatch(/exited \(code \d+\) before it was ready\. Last lines of .*store\.log/);
    expect((error as Error).message).toMatch(/locked|Lock/i);
    await holder.stop();
  });

  it('says what to install when Java is missing', () => {
    const saved = process.env.JAVA_HOME;
    const home = tempDir();
    process.env.JAVA_HOME = home;
    try {
      expect(() => setupEmbeddedStore()).toThrow(new RegExp(`"${path.join(home, 'bin', 'java')}" was not found[\\s\\S]*Install a Java runtime 17[\\s\\S]*JAVA_HOME[\\s\\S]*MONGODB_URI`));
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });
});
