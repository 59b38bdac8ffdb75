import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { field } from '../commands.js';
import { decoyHash, verifyPassword } from '../passwords.js';
import type { AccountRef, StaffAccount } from '../ports.js';
import { currentSession, formOf, goTo, PRE_SESSION_COOKIE, SESSION_COOKIE, sendPage, type WebDeps } from '../server.js';
import { newToken, sameSecret, tokenId } from '../tokens.js';
import { chooseTenantPage, messagePage, signInLinkPage, signInPage } from '../views/sign-in.js';

/**
 * Sign-in: a password set by `otklik staff password`, or a one-time link the staff bot
 * sends on `/login`. Both make a new session (never reuse one: no fixation), keep only the
 * token's hash in the store, and set an HttpOnly, SameSite cookie. Attempts are limited per
 * client and login (@fastify/rate-limit).
 */
const WRONG = 'Неверный логин или пароль.';

function cookieOptions(deps: WebDeps, maxAgeSec?: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies, ...(maxAgeSec !== undefined ? { maxAge: maxAgeSec } : {}) };
}

/** The pre-session CSRF secret: set once per browser, sent back in the form. */
function preSecret(request: FastifyRequest, reply: FastifyReply, deps: WebDeps): string {
  const existing = request.cookies[PRE_SESSION_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const secret = newToken();
  reply.setCookie(PRE_SESSION_COOKIE, secret, { ...cookieOptions(deps), sameSite: 'strict' });
  return secret;
}

function preFormValid(request: FastifyRequest): boolean {
  const cookieValue = request.cookies[PRE_SESSION_COOKIE];
  return typeof cookieValue === 'string' && sameSecret(field(formOf(request), '_csrf') || undefined, cookieValue);
}

async function activeAccounts(deps: WebDeps, refs: readonly AccountRef[]): Promise<StaffAccount[]> {
  const found = await Promise.all(refs.map((r) => deps.store.account(r)));
  return found.filter((a): a is StaffAccount => a !== null && a.active);
}

async function startSession(request: FastifyRequest, reply: FastifyReply, deps: WebDeps, accounts: readonly StaffAccount[], via: 'password' | 'telegram'): Promise<FastifyReply> {
  const at = deps.now();
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) await deps.store.deleteSession(tokenId(previous));
  const token = newToken();
  const refs = accounts.map((a) => ({ tenant: a.tenant, code: a.code }));
  await deps.store.createSession({
    id: tokenId(token), accounts: refs, current: refs.length === 1 ? refs[0]! : null, csrfToken: newToken(), via,
    createdAt: at, lastSeenAt: at, expiresAt: new Date(at.getTime() + deps.sessionTtlMs),
  });
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps, Math.floor(deps.sessionTtlMs / 1000)));
  request.log.info({ via, accounts: refs }, 'web: signed in');
  return reply.redirect(refs.length === 1 ? '/inbox' : '/tenant', 303);
}

export function registerSignInRoutes(app: FastifyInstance, deps: WebDeps): void {
  const limit = { max: deps.signInLimit.max, timeWindow: deps.signInLimit.timeWindowMs };

  app.get<{ Querystring: { bye?: string } }>('/login', async (request, reply) => {
    if (await currentSession(request, deps, deps.now())) return reply.redirect('/inbox', 303);
    return sendPage(reply, signInPage({ csrf: preSecret(request, reply, deps), notice: request.query.bye ? 'Вы вышли из рабочего места.' : null }));
  });

  app.post('/login', {
    config: { rateLimit: { ...limit, keyGenerator: (request: FastifyRequest) => `${request.ip}|${field(formOf(request), 'login').trim().toLowerCase()}` } },
  }, async (request, reply) => {
    const body = formOf(request);
    const login = field(body, 'login').trim();
    const csrf = preSecret(request, reply, deps);
    if (!preFormValid(request)) return sendPage(reply, signInPage({ csrf, login, error: 'Форма входа устарела: попробуйте ещё раз.' }), 403);
    const credential = login ? await deps.store.credential(login) : null;
    // An unknown login costs the same time as a wrong password: the answer tells nothing.
    const ok = await verifyPassword(field(body, 'password'), credential?.passwordHash ?? (await decoyHash()));
    const accounts = ok && credential ? await activeAccounts(deps, credential.accounts) : [];
    if (accounts.length === 0) {
      request.log.warn({ login }, 'web: sign-in refused');
      return sendPage(reply, signInPage({ csrf, login, error: WRONG }), 401);
    }
    return startSession(request, reply, deps, accounts, 'password');
  });

  app.get<{ Params: { token: string } }>('/login/link/:token', async (request, reply) => {
    return sendPage(reply, signInLinkPage({ csrf: preSecret(request, reply, deps), token: request.params.token }));
  });

  app.post<{ Params: { token: string } }>('/login/link/:token', { config: { rateLimit: limit } }, async (request, reply) => {
    const csrf = preSecret(request, reply, deps);
    if (!preFormValid(request)) return sendPage(reply, signInLinkPage({ csrf, token: request.params.token }), 403);
    const used = await deps.store.consumeSignInToken(tokenId(request.params.token), deps.now());
    const accounts = used ? await deps.store.accountsByTelegramId(used.telegramUserId) : [];
    if (accounts.length === 0) {
      request.log.warn('web: a sign-in link refused (unknown, used or expired)');
      return sendPage(reply, messagePage('Ссылка не действует', 'Ссылка для входа уже использована, устарела или неверна. Отправьте боту сотрудников /login, чтобы получить новую.', { href: '/login', label: 'Вход по паролю' }), 410);
    }
    return startSession(request, reply, deps, accounts, 'telegram');
  });

  app.get('/tenant', async (request, reply) => {
    const session = await currentSession(request, deps, deps.now());
    if (!session) return goTo(request, reply, '/login');
    const accounts = await activeAccounts(deps, session.accounts);
    if (accounts.length === 0) {
      await deps.store.deleteSession(session.id);
      return sendPage(reply, messagePage('Доступ прекращён', 'Ваши учётные записи отключены администратором: сессия завершена.', { href: '/login', label: 'На страницу входа' }), 403);
    }
    const titles = await deps.store.tenantTitles(accounts.map((a) => a.tenant));
    return sendPage(reply, chooseTenantPage({ csrf: session.csrfToken, choices: accounts.map((a) => ({ tenant: a.tenant, title: titles.get(a.tenant) ?? a.tenant, fullName: a.fullName })) }));
  });

  app.post('/tenant', async (request, reply) => {
    const session = await currentSession(request, deps, deps.now());
    if (!session) return goTo(request, reply, '/login');
    const body = formOf(request);
    if (!sameSecret(field(body, '_csrf') || undefined, session.csrfToken)) return sendPage(reply, messagePage('Форма не принята', 'Форма пришла без проверочного кода этого окна. Откройте страницу заново.', { href: '/tenant', label: 'Выбор администрации' }), 403);
    const chosen = session.accounts.find((a) => a.tenant === field(body, 'tenant'));
    const account = chosen ? await deps.store.account(chosen) : null;
    if (!chosen || !account?.active) return reply.redirect('/tenant', 303);
    await deps.store.updateSession(session.id, { current: chosen });
    return reply.redirect('/inbox', 303);
  });

  app.post('/logout', async (request, reply) => {
    const session = await currentSession(request, deps, deps.now());
    if (session) {
      if (!sameSecret(field(formOf(request), '_csrf') || undefined, session.csrfToken)) {
        return sendPage(reply, messagePage('Форма не принята', 'Форма пришла без проверочного кода этого окна. Откройте страницу заново.', { href: '/inbox', label: 'К обращениям' }), 403);
      }
      await deps.store.deleteSession(session.id);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login?bye=1', 303);
  });
}
