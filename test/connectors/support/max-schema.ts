import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * Checks a value against the copy of MAX's OpenAPI document kept beside the connector
 * (connectors/max/reference/max-bot-api.subset.yaml). OpenAPI 3.0 is not JSON Schema
 * (`nullable`, `discriminator`), so this walks it: types, required fields, enums, lengths
 * and limits, `allOf` merged, a discriminator followed to its mapped schema, and — what
 * the document leaves open — objects closed: a field the schema does not name is an
 * error, so a fixture cannot carry what MAX would never send.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const maxSchemaPath = join(repoRoot, 'connectors/max/reference/max-bot-api.subset.yaml');
export const maxFixturesDir = join(repoRoot, 'test/fixtures/max');

export function maxFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(maxFixturesDir, name), 'utf8')) as unknown;
}

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  discriminator?: { propertyName: string; mapping: Record<string, string> };
}

interface Merged {
  types: Set<string>;
  nullable: boolean;
  properties: Record<string, Schema>;
  required: Set<string>;
  additional?: Schema;
  items?: Schema;
  enums: unknown[][];
  limits: Pick<Schema, 'minLength' | 'maxLength' | 'minimum' | 'maximum'>;
}

let doc: { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema: Schema }> }>; requestBody?: { content: Record<string, { schema: Schema }> } }>>; components: { schemas: Record<string, Schema> } } | undefined;

function load(): NonNullable<typeof doc> {
  doc ??= parse(readFileSync(maxSchemaPath, 'utf8')) as NonNullable<typeof doc>;
  return doc;
}

function deref(schema: Schema): Schema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = load().components.schemas[name];
  if (target === undefined) throw new Error(`no MAX schema ${name}`);
  return deref(target);
}

function merge(schema: Schema, into: Merged = { types: new Set(), nullable: false, properties: {}, required: new Set(), enums: [], limits: {} }): Merged {
  const own = deref(schema);
  if (own.type !== undefined) into.types.add(own.type);
  if (own.nullable === true) into.nullable = true;
  Object.assign(into.properties, own.properties ?? {});
  for (const name of own.required ?? []) into.required.add(name);
  if (typeof own.additionalProperties === 'object') into.additional = own.additionalProperties;
  if (own.items !== undefined) into.items = own.items;
  if (own.enum !== undefined) into.enums.push(own.enum);
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum'] as const) if (own[key] !== undefined) into.limits[key] = own[key];
  for (const part of own.allOf ?? []) merge(part, into);
  if (own.properties !== undefined || own.required !== undefined) into.types.add('object');
  return into;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(schema: Schema, value: unknown, path: string, dispatch = true): string[] {
  const own = deref(schema);
  const merged = merge(own);
  if (value === null) return merged.nullable ? [] : [`${path}: null, not nullable`];
  if (dispatch && own.discriminator !== undefined && value !== null && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[own.discriminator.propertyName];
    const target = own.discriminator.mapping[String(tag)];
    if (target === undefined) return [`${path}.${own.discriminator.propertyName}: ${JSON.stringify(tag)} is none of ${Object.keys(own.discriminator.mapping).join(', ')}`];
    return check({ $ref: target }, value, path, false);
  }
  const errors: string[] = [];
  const kind = kindOf(value);
  const types = merged.types;
  if (types.size > 0 && !types.has(kind) && !(kind === 'integer' && types.has('number'))) return [`${path}: ${kind}, expected ${[...types].join('|')}`];
  for (const allowed of merged.enums) if (!allowed.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(allowed)}`);
  const { minLength, maxLength, minimum, maximum } = merged.limits;
  if (typeof value === 'string') {
    if (minLength !== undefined && value.length < minLength) errors.push(`${path}: shorter than ${minLength}`);
    if (maxLength !== undefined && value.length > maxLength) errors.push(`${path}: longer than ${maxLength}`);
  }
  if (typeof value === 'number') {
    if (minimum !== undefined && value < minimum) errors.push(`${path}: below ${minimum}`);
    if (maximum !== undefined && value > maximum) errors.push(`${path}: above ${maximum}`);
  }
  if (kind === 'array' && merged.items !== undefined) {
    (value as unknown[]).forEach((item, index) => errors.push(...check(merged.items!, item, `${path}[${index}]`)));
  }
  if (kind === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of merged.required) if (!(name in record)) errors.push(`${path}.${name}: required`);
    for (const [key, item] of Object.entries(record)) {
      const property = merged.properties[key];
      if (property !== undefined) errors.push(...check(property, item, `${path}.${key}`));
      else if (merged.additional !== undefined) errors.push(...check(merged.additional, item, `${path}.${key}`));
      else errors.push(`${path}.${key}: not in the schema`);
    }
  }
  return errors;
}

/** A value against `components/schemas/NAME`; empty when it matches. */
export function checkMax(name: string, value: unknown): string[] {
  return check({ $ref: `#/components/schemas/${name}` }, value, name);
}

/** A method's answer (its 200 schema) or request body. */
export function checkMaxMethod(verb: 'get' | 'post', path: string, what: 'response' | 'request', value: unknown, status = '200'): string[] {
  const operation = load().paths[path]?.[verb];
  if (operation === undefined) return [`${verb.toUpperCase()} ${path}: not in the schema`];
  const schema = what === 'request' ? operation.requestBody?.content['application/json']?.schema : operation.responses?.[status]?.content?.['application/json']?.schema;
  if (schema === undefined) return [`${verb.toUpperCase()} ${path}: no ${what} schema${what === 'response' ? ` for ${status}` : ''}`];
  return check(schema, value, `${verb.toUpperCase()} ${path}`);
}

/** The query parameters the schema lists for a method (the rest of what a request sends is not MAX's). */
export function maxMethodParams(verb: 'get' | 'post', path: string): string[] {
  const operation = load().paths[path]?.[verb] as { parameters?: { name: string; in: string }[] } | undefined;
  return (operation?.parameters ?? []).filter((param) => param.in === 'query').map((param) => param.name);
}
