/**
 * API payloads are stored as received, for the record, but a key that starts with "$" or
 * contains "." must never reach MongoDB as such: older servers reject it, and in a filter
 * it would become an operator. Such keys are escaped with look-alike full-width
 * characters, which keeps the payload readable in Compass.
 */
export function escapeKeys(value: unknown, depth = 0): unknown {
  if (depth > 64) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => escapeKeys(item, depth + 1));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key.replace(/^\$/, '＄').replace(/\./g, '．')] = escapeKeys(inner, depth + 1);
  }
  return out;
}

/** The payload as the API sent it: escapeKeys undone, for code that reads it back. */
export function unescapeKeys(value: unknown, depth = 0): unknown {
  if (depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => unescapeKeys(item, depth + 1));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key.replace(/^＄/, '$').replace(/．/g, '.')] = unescapeKeys(inner, depth + 1);
  }
  return out;
}

/** A name (a topic, a place) as a field name: "." would nest and a leading "$" is an operator. */
export function fieldName(name: string): string {
  return name.replace(/^\$/, '＄').replace(/\./g, '．');
}

export function fromFieldName(field: string): string {
  return field.replace(/^＄/, '$').replace(/．/g, '.');
}
