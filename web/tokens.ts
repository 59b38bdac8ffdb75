import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Secrets in cookies and links: 256 random bits; the store keeps only their SHA-256. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameSecret(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** How long a sign-in link the staff bot sends stays valid. */
export const SIGN_IN_LINK_TTL_MS = 15 * 60 * 1000;

/** The address staff open: OTKLIK_WEB_URL (behind a proxy), else the local port. */
export function webBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.OTKLIK_WEB_URL?.trim();
  if (explicit) return explicit.replace(/\/+$/, '');
  return `http://127.0.0.1:${webPort(env)}`;
}

export const DEFAULT_WEB_PORT = 8790;

export function webPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.OTKLIK_WEB_PORT?.trim();
  if (!raw) return DEFAULT_WEB_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`OTKLIK_WEB_PORT: нужен номер порта 0…65535, получено «${raw}»`);
  return port;
}

export function signInLink(token: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${webBaseUrl(env)}/login/link/${token}`;
}
