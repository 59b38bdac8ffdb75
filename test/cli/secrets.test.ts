// Issue 12 point 8: tokens come from a secrets file only its owner can read, never through
// pm2's environment (which `pm2 save` writes to its dump), and never into a log line.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadSecretsInto, pm2Environment, readSecretsFile, SecretsFileError, SecretsInEnvironmentError } from '../../config/secrets.js';
import { testStoreUri } from '../support/store.js';
import { waitUntil } from '../support/worker-processes.js';

const TOKEN = '7000001:AAHsecret-staff-bot-token-value';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otklik-secrets-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function secretsFile(name: string, text: string, mode: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

describe('the secrets file', () => {
  it('is refused when others may read it, with the command that fixes it', () => {
    const file = secretsFile('wide.env', `OTKLIK_STAFF_BOT_TOKEN=${TOKEN}\n`, 0o644);
    expect(() => readSecretsFile({ OTKLIK_SECRETS_FILE: file }, dir)).toThrow(SecretsFileError);
    expect(() => readSecretsFile({ OTKLIK_SECRETS_FILE: file }, dir)).toThrow(`права 644): токены из него не читаются. Выполните: chmod 600 ${file}`);
    fs.chmodSync(file, 0o640);
    expect(() => readSecretsFile({ OTKLIK_SECRETS_FILE: file }, dir)).toThrow('права 640');
  });

  it('is read when only its owner may, and wins over the environment (rotation is editing the file)', () => {
    const file = secretsFile('ok.env', `# tokens\nOTKLIK_STAFF_BOT_TOKEN=${TOKEN}\nZARECHENSK_VK_TOKEN="vk token"\n`, 0o600);
    const env: NodeJS.ProcessEnv = { OTKLIK_SECRETS_FILE: file, ZARECHENSK_VK_TOKEN: 'old' };
    expect(loadSecretsInto(env, dir).values).toEqual({ OTKLIK_STAFF_BOT_TOKEN: TOKEN, ZARECHENSK_VK_TOKEN: 'vk token' });
    expect(env.ZARECHENSK_VK_TOKEN).toBe('vk token');
  });

  it('may be absent by default, but not when OTKLIK_SECRETS_FILE names it', () => {
    expect(readSecretsFile({}, dir)).toEqual({ file: null, values: {} });
    expect(() => readSecretsFile({ OTKLIK_SECRETS_FILE: 'missing.env' }, dir)).toThrow(/Файл секретов .*missing\.env \(OTKLIK_SECRETS_FILE\) не найден/);
  });
});

describe('npm start gives pm2 no secret', () => {
  const secrets = { file: '/srv/otklik/secrets.env', values: { OTKLIK_STAFF_BOT_TOKEN: TOKEN, MONGODB_URI: 'mongodb://u:p@db/' } };

  it('drops what the file holds and keeps the rest', () => {
    const env = pm2Environment({ PATH: '/usr/bin', OTKLIK_SANDBOX: 'off', OTKLIK_STAFF_BOT_TOKEN: TOKEN, MONGODB_URI: 'mongodb://u:p@db/' }, secrets, secrets.file);
    expect(env).toEqual({ PATH: '/usr/bin', OTKLIK_SANDBOX: 'off' });
  });

  it('refuses a token exported in the shell that the file does not hold, naming it and the file', () => {
    const run = () => pm2Environment({ PATH: '/usr/bin', ZARECHENSK_VK_TOKEN: 'x', MONGODB_URI: 'mongodb://otklik:pw@db1/' }, { file: null, values: {} }, secrets.file, ['ZARECHENSK_VK_TOKEN']);
    expect(run).toThrow(SecretsInEnvironmentError);
    expect(run).toThrow('В окружении заданы секреты: MONGODB_URI, ZARECHENSK_VK_TOKEN.');
    expect(run).toThrow('Перенесите их в /srv/otklik/secrets.env');
    // A URI without a password and the variables the tenants' accounts name.
    expect(pm2Environment({ MONGODB_URI: 'mongodb://db1/' }, { file: null, values: {} }, secrets.file)).toEqual({ MONGODB_URI: 'mongodb://db1/' });
    expect(() => pm2Environment({ ZARECHENSK_OK_APP: 'k' }, { file: null, values: {} }, secrets.file, ['ZARECHENSK_OK_APP'])).toThrow('ZARECHENSK_OK_APP');
  });

  it('keeps a token of something else (GITHUB_TOKEN in a developer shell) from pm2 without refusing to start', () => {
    expect(pm2Environment({ PATH: '/usr/bin', GITHUB_TOKEN: 'ghp_x', NPM_TOKEN: 'n' }, { file: null, values: {} }, secrets.file, ['ZARECHENSK_VK_TOKEN'])).toEqual({ PATH: '/usr/bin' });
  });

  it('ecosystem.config.js passes no token to any app, and leaves the store out when the secrets file names a MongoDB', () => {
    const file = secretsFile('mongo.env', 'MONGODB_URI=mongodb://otklik:pw@db1/\n', 0o600);
    const print = "import('./ecosystem.config.js').then((m) => console.log(JSON.stringify(m.apps.map((a) => ({ name: a.name, env: a.env })))))";
    const result = spawnSync(process.execPath, ['-e', print], { env: { PATH: process.env.PATH, OTKLIK_SECRETS_FILE: file, ZARECHENSK_VK_TOKEN: 'shell-token' }, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const apps = JSON.parse(result.stdout) as Array<{ name: string; env: Record<string, string> }>;
    expect(apps.map((a) => a.name)).not.toContain('otklik-store');
    expect(apps.map((a) => a.name)).toContain('otklik-staff-bot');
    expect(result.stdout).not.toContain('shell-token');
    expect(result.stdout).not.toContain('pw@');
  });
});

describe('a worker reads its token from the file at its start', () => {
  it('the staff bot polls with the file\'s token and never logs it, even inside an error Telegram sends back', async () => {
    const paths: string[] = [];
    const telegram = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 400, description: `Bad Request: bot token ${TOKEN} is not accepted here` }));
    });
    await new Promise<void>((resolve) => telegram.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(telegram.address() as AddressInfo).port}`;
    const file = secretsFile('bot.env', `OTKLIK_STAFF_BOT_TOKEN=${TOKEN}\n`, 0o600);
    const env: NodeJS.ProcessEnv = { ...process.env, MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: `secrets_${process.pid}`, OTKLIK_SECRETS_FILE: file, OTKLIK_STAFF_BOT_API_URL: apiUrl, LOG_LEVEL: 'info' };
    delete env.OTKLIK_STAFF_BOT_TOKEN;
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/launch.js', 'staff-bot'], { env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitUntil('the staff bot to log a failed round', async () => output.includes('staff bot round failed'), 60_000, 200);
      expect(paths.some((p) => p.startsWith(`/bot${TOKEN}/getUpdates`))).toBe(true);
      expect(output).toContain('is not accepted here');
      expect(output).not.toContain('AAHsecret-staff-bot-token-value');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      telegram.close();
    }
  }, 90_000);

  it('no log line carries a value of the secrets file, in whatever field or message it turns up', () => {
    const file = secretsFile('log.env', 'ZARECHENSK_OK_APP_SECRET=plain-ok-secret-42\n', 0o600);
    const script = [
      "const { loadSecretsInto } = await import('./config/secrets.ts');",
      "const { registerSecret } = await import('./connectors/redact.ts');",
      "const { createLogger } = await import('./config/logger.ts');",
      'for (const v of Object.values(loadSecretsInto(process.env).values)) registerSecret(v);',
      "createLogger('test').warn({ request: { url: 'https://api.ok.ru/fb.do?k=plain-ok-secret-42' } }, 'failed with plain-ok-secret-42 in the text');",
    ].join('\n');
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, OTKLIK_SECRETS_FILE: file, LOG_LEVEL: 'info' }, encoding: 'utf8' });
    expect(result.stdout).toContain('failed with [redacted] in the text');
    expect(result.stdout).toContain('fb.do?k=[redacted]');
    expect(result.stdout + result.stderr).not.toContain('plain-ok-secret-42');
  });

  it('a worker refuses a secrets file others may read, and says how to fix it', async () => {
    const file = secretsFile('bot-wide.env', `OTKLIK_STAFF_BOT_TOKEN=${TOKEN}\n`, 0o644);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'workers/launch.js', 'staff-bot'], {
      env: { ...process.env, MONGODB_URI: testStoreUri(), OTKLIK_SECRETS_FILE: file }, encoding: 'utf8', timeout: 60_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(`chmod 600 ${file}`);
    expect(result.stderr).not.toContain(TOKEN);
  }, 90_000);
});
