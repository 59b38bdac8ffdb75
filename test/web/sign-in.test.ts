// Sign-in and sessions over HTTP (the real server, the real store): passwords set by the
// real CLI, one-time links from the real staff bot, the rate limit, tenant choice, and
// sessions that end — on sign-out, when idle, and at once when the person is deactivated.
import { rawDb } from '../support/store.js';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { saveSignInToken } from '../../store/web/accounts.js';
import { newToken, SIGN_IN_LINK_TTL_MS, tokenId } from '../../web/tokens.js';
import { runOtklik } from '../support/cli.js';
import { testStoreUri } from '../support/store.js';
import { startWorker, waitUntil } from '../support/worker-processes.js';
import { newBot } from '../workers/support/staff-bot-setup.js';
import { FakeTelegram } from '../workers/support/staff-bot-telegram.js';
import { PASSWORD, setPassword, startWorkplace, type Workplace } from './support/workplace.js';

const T0 = new Date('2026-11-25T06:30:00Z');

interface Browserless {
  cookies: Map<string, string>;
}

function cookieHeader(client: Browserless): string {
  return [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

function keepCookies(client: Browserless, setCookie: string | string[] | undefined): void {
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const [name, ...value] = pair!.split('=');
    if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) client.cookies.delete(name!.trim());
    else client.cookies.set(name!.trim(), value.join('='));
  }
}

describe('sign-in and sessions', () => {
  let workplace: Workplace;
  let now = T0;

  /** Real HTTP to the listening server, redirects not followed, cookies kept as a browser keeps them. */
  async function request(client: Browserless, method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const response = await fetch(`${workplace.url}${url}`, {
      method, redirect: 'manual',
      headers: { cookie: cookieHeader(client), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const setCookie = response.headers.getSetCookie();
    keepCookies(client, setCookie);
    return { statusCode: response.status, headers: { location: response.headers.get('location') ?? undefined, 'set-cookie': setCookie }, body: await response.text() };
  }

  /** The sign-in page's form secret, as a browser would send it back. */
  async function loginForm(client: Browserless, url = '/login'): Promise<string> {
    const page = await request(client, 'GET', url);
    return /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  }

  async function signIn(login: string, password = PASSWORD) {
    const client: Browserless = { cookies: new Map() };
    const csrf = await loginForm(client);
    const response = await request(client, 'POST', '/login', { _csrf: csrf, login, password });
    return { client, status: response.statusCode, location: response.headers.location as string | undefined, body: response.body, setCookie: [response.headers['set-cookie'] ?? []].flat() };
  }

  beforeAll(async () => {
    workplace = await startWorkplace('web_sign_in', { now: () => now, secondTenant: true, signInLimit: { max: 4, timeWindowMs: 10 * 60_000 }, idleMs: 2 * 3_600_000 });
    for (const code of ['orlova', 'volkova', 'lebedev']) await setPassword(workplace.store, code, [{ tenant: 'zarechensk', code }]);
    await setPassword(workplace.store, 'petrova', [{ tenant: 'zarechensk', code: 'petrova' }, { tenant: 'ozerny', code: 'petrova' }]);
  }, 60_000);

  afterAll(async () => {
    await workplace?.close();
  }, 60_000);

  it('signs in with the right password; the cookie is HttpOnly and SameSite, and only its hash is stored', async () => {
    const { client, status, location, setCookie } = await signIn('orlova');
    expect(status).toBe(303);
    expect(location).toBe('/inbox');
    const token = client.cookies.get('otklik_session')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const inbox = await request(client, 'GET', '/inbox');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Орлова Мария Андреевна');
    const stored = await rawDb(workplace.store).collection('webSessions').find({}).toArray();
    expect(stored.map((s) => s._id)).toContain(tokenId(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const session = setCookie.find((c) => c.startsWith('otklik_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\//);
  });

  it('refuses a wrong password and an unknown login with the same message, and a form without its secret', async () => {
    const wrong = await signIn('orlova', 'не тот пароль');
    const unknown = await signIn('nobody-here', PASSWORD);
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body).toContain('Неверный логин или пароль.');
      expect(r.client.cookies.has('otklik_session')).toBe(false);
    }
    const client: Browserless = { cookies: new Map() };
    await loginForm(client);
    const forged = await request(client, 'POST', '/login', { login: 'orlova', password: PASSWORD });
    expect(forged.statusCode).toBe(403);
    expect(client.cookies.has('otklik_session')).toBe(false);
  });

  it('limits attempts per client and login: the next one is refused in Russian, the right password included', async () => {
    await setPassword(workplace.store, 'sokolov', [{ tenant: 'zarechensk', code: 'sokolov' }]);
    const statuses: number[] = [];
    for (let k = 0; k < 4; k++) statuses.push((await signIn('sokolov', `попытка ${k}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const blocked = await signIn('sokolov');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toContain('Слишком много попыток входа');
    expect(blocked.client.cookies.has('otklik_session')).toBe(false);
  });

  it('a member of two tenants picks one, and may switch', async () => {
    const { client, location } = await signIn('petrova');
    expect(location).toBe('/tenant');
    expect((await request(client, 'GET', '/inbox')).headers.location).toBe('/tenant');
    const choice = await request(client, 'GET', '/tenant');
    expect(choice.body).toContain('Администрация городского округа Зареченск');
    expect(choice.body).toContain('Администрация Озёрного городского округа');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(choice.body)![1]!;
    // A tenant the person is not registered in is not chosen.
    expect((await request(client, 'POST', '/tenant', { _csrf: csrf, tenant: 'elsewhere' })).headers.location).toBe('/tenant');
    expect((await request(client, 'POST', '/tenant', { _csrf: csrf, tenant: 'ozerny' })).headers.location).toBe('/inbox');
    expect((await request(client, 'GET', '/inbox')).body).toContain('Администрация Озёрного городского округа');
  });

  it('a one-time link from the staff bot\'s /login signs in once; opening the page does not spend it', async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const telegram = new FakeTelegram();
    telegram.install();
    try {
      const bot = newBot(workplace.store, () => now);
      telegram.text({ id: 100012, first_name: 'Мария' }, '/login');
      await bot.pollOnce();
      const sent = telegram.last(100012, 'Ссылка для входа');
      expect(JSON.parse(sent.form.link_preview_options!)).toEqual({ is_disabled: true });
      expect(telegram.problems).toEqual([]);
      const path = new URL(/(https?:\/\/\S+)/.exec(sent.text)![1]!).pathname;
      expect(path).toMatch(/^\/login\/link\/[A-Za-z0-9_-]{43}$/);
      const client: Browserless = { cookies: new Map() };
      // A link preview (a GET) only shows the button.
      const csrf = await loginForm(client, path);
      await loginForm(client, path);
      const used = await request(client, 'POST', path, { _csrf: csrf });
      expect(used.statusCode).toBe(303);
      // Orlova works in both municipalities (one Telegram id): she picks one.
      expect(used.headers.location).toBe('/tenant');
      const choice = await request(client, 'GET', '/tenant');
      const session = /name="_csrf" value="([^"]+)"/.exec(choice.body)![1]!;
      expect((await request(client, 'POST', '/tenant', { _csrf: session, tenant: 'zarechensk' })).headers.location).toBe('/inbox');
      expect((await request(client, 'GET', '/inbox')).body).toContain('Орлова Мария Андреевна');
      const again = await request({ cookies: new Map(client.cookies) }, 'POST', path, { _csrf: csrf });
      expect(again.statusCode).toBe(410);
      expect(again.body).toContain('Ссылка для входа уже использована, устарела или неверна');
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });

  it('an expired link is refused, a fresh one is not', async () => {
    const token = newToken();
    await saveSignInToken(workplace.store, tokenId(token), 100001, new Date(now.getTime() - SIGN_IN_LINK_TTL_MS - 1000), SIGN_IN_LINK_TTL_MS);
    const client: Browserless = { cookies: new Map() };
    const csrf = await loginForm(client, `/login/link/${token}`);
    expect((await request(client, 'POST', `/login/link/${token}`, { _csrf: csrf })).statusCode).toBe(410);
    const fresh = newToken();
    await saveSignInToken(workplace.store, tokenId(fresh), 100001, now, SIGN_IN_LINK_TTL_MS);
    const ok = await request(client, 'POST', `/login/link/${fresh}`, { _csrf: csrf });
    expect(ok.headers.location).toBe('/tenant');
  });

  it('ends a session at once when the person is deactivated (issue 12 point 6)', async () => {
    const { client } = await signIn('volkova');
    expect((await request(client, 'GET', '/inbox')).statusCode).toBe(200);
    await rawDb(workplace.store).collection('staff').updateOne({ tenant: 'zarechensk', code: 'volkova' }, { $set: { active: false } });
    try {
      const refused = await request(client, 'GET', '/inbox');
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain('Ваша учётная запись отключена администратором');
      expect(await workplace.web.findSession(tokenId(client.cookies.get('otklik_session') ?? 'gone'))).toBeNull();
      // Nor can the person sign in again.
      expect((await signIn('volkova')).status).toBe(401);
    } finally {
      await rawDb(workplace.store).collection('staff').updateOne({ tenant: 'zarechensk', code: 'volkova' }, { $set: { active: true } });
    }
  });

  it('ends an idle session after two hours without a request, and any session after twelve', async () => {
    const { client } = await signIn('lebedev');
    now = new Date(T0.getTime() + 90 * 60_000);
    expect((await request(client, 'GET', '/inbox')).statusCode).toBe(200);
    now = new Date(T0.getTime() + (90 + 119) * 60_000);
    expect((await request(client, 'GET', '/inbox')).statusCode).toBe(200);
    now = new Date(T0.getTime() + (90 + 119 + 121) * 60_000);
    const idle = await request(client, 'GET', '/inbox');
    expect(idle.statusCode).toBe(303);
    expect(idle.headers.location).toBe('/login');
    // Kept busy, a session still ends twelve hours after sign-in.
    now = T0;
    const busy = await signIn('lebedev');
    for (let minutes = 60; minutes < 12 * 60; minutes += 60) {
      now = new Date(T0.getTime() + minutes * 60_000);
      expect((await request(busy.client, 'GET', '/inbox')).statusCode).toBe(200);
    }
    now = new Date(T0.getTime() + 12 * 3_600_000);
    expect((await request(busy.client, 'GET', '/inbox')).headers.location).toBe('/login');
    now = T0;
  });
});

describe('otklik staff password, and the web worker process', () => {
  let workplace: Workplace;

  beforeAll(async () => {
    workplace = await startWorkplace('web_cli');
  }, 60_000);

  afterAll(async () => {
    await workplace?.close();
  }, 60_000);

  it('generates a password once, stores its scrypt hash, and the password signs in', async () => {
    const run = await runOtklik(workplace.store.dbName, ['staff', 'password', 'volkova', '-t', 'zarechensk']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Волкова Татьяна Юрьевна (volkova, zarechensk): пароль для рабочего места задан.');
    const password = /пароль: (\S+)/.exec(run.stdout)![1]!;
    expect(password).toHaveLength(16);
    const credential = await workplace.web.credential('volkova');
    expect(credential!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(credential!.passwordHash).not.toContain(password);
    const page = await fetch(`${workplace.url}/login`);
    const pre = /otklik_pre=([^;]+)/.exec(page.headers.getSetCookie().join('\n'))![1]!;
    const signIn = await fetch(`${workplace.url}/login`, {
      method: 'POST', redirect: 'manual', headers: { cookie: `otklik_pre=${pre}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: pre, login: 'volkova', password }).toString(),
    });
    expect(signIn.status).toBe(303);
  });

  it('refuses a short password from stdin, an unknown person, and a login taken by someone else', async () => {
    const short = await runOtklik(workplace.store.dbName, ['staff', 'password', 'lebedev', '--stdin'], 'short\n');
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('пароль короче 10 знаков');
    const unknown = await runOtklik(workplace.store.dbName, ['staff', 'password', 'nobody']);
    expect(unknown.stderr).toContain('нет сотрудника с кодом «nobody»');
    const taken = await runOtklik(workplace.store.dbName, ['staff', 'password', 'lebedev', '--login', 'volkova']);
    expect(taken.stderr).toContain('логин «volkova» уже открывает volkova (zarechensk)');
    const fromStdin = await runOtklik(workplace.store.dbName, ['staff', 'password', 'lebedev', '--stdin'], 'достаточно-длинный-пароль\n');
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).not.toContain('достаточно-длинный-пароль');
  });

  it('the web worker serves the sign-in page on the port it is given, and stops cleanly', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const worker = startWorker(['web'], { MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: workplace.store.dbName, OTKLIK_WEB_PORT: String(port) });
    try {
      const body = await waitUntil('the web worker to answer', async () => {
        const response = await fetch(`http://127.0.0.1:${port}/login`).catch(() => null);
        return response?.ok ? response.text() : undefined;
      }, 60_000, 200);
      expect(body).toContain('Вход в рабочее место');
    } finally {
      await worker.stop();
    }
    expect(worker.child.exitCode).toBe(0);
  });
});
