/**
 * Tokens must never reach logs or stored errors (STYLE 12). Known secrets are
 * registered by the clients that hold them; the patterns catch the shapes tokens take
 * inside URLs and bodies even when a library formats its own message.
 */
const knownSecrets = new Set<string>();

export function registerSecret(secret: string | undefined): void {
  // Very short values would redact ordinary words.
  if (secret !== undefined && secret.length >= 6) knownSecrets.add(secret);
}

const patterns: readonly RegExp[] = [
  /(access_token|application_secret_key|secret_key|session_secret_key|token|sig)=([^&\s"']+)/gi,
  /("(?:access_token|token|sig)"\s*:\s*")([^"]+)"/gi,
  /\/bot(\d+):([\w-]+)/g,
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('[redacted]');
  return out
    .replace(patterns[0]!, '$1=[redacted]')
    .replace(patterns[1]!, '$1[redacted]"')
    .replace(patterns[2]!, '/bot$1:[redacted]');
}

/** For objects that hold a token: `inspect`/JSON show that it is set, never its value. */
export function redactedView(token: string | undefined): string {
  return token === undefined || token === '' ? '[unset]' : '[set]';
}
