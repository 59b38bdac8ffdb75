import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';

/**
 * The API references live beside the repository (../shared/reference); CI clones the
 * repository with shared/ next to it. Fixtures are checked against them so a fixture
 * that the real API would never send is a failing test, not a silent lie.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const referenceDir = resolve(repoRoot, '../shared/reference');
export const fixturesDir = join(repoRoot, 'test/fixtures');

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

export function fixture(network: 'vk' | 'telegram' | 'ok', name: string): unknown {
  return readJson(join(fixturesDir, network, name));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * vk-api-schema declares draft-07 but marks required properties draft-03 style
 * (`"required": true` inside the property), which a draft-07 validator ignores. This
 * moves each such flag into its parent's `required` array, so required-ness is checked.
 * Returns how many flags it moved, for the test that proves the conversion happened.
 */
export function liftDraft03Required(node: Json): number {
  let moved = 0;
  if (Array.isArray(node)) {
    for (const item of node) moved += liftDraft03Required(item);
    return moved;
  }
  if (node === null || typeof node !== 'object') return 0;
  // A few flags sit on a definition or an `items` schema, where they mean nothing in either draft.
  if (typeof node.required === 'boolean' && node.properties === undefined) delete node.required;
  const properties = node.properties;
  if (properties !== undefined && properties !== null && typeof properties === 'object' && !Array.isArray(properties)) {
    const required: string[] = Array.isArray(node.required) ? (node.required as string[]) : [];
    for (const [name, property] of Object.entries(properties)) {
      if (property !== null && typeof property === 'object' && !Array.isArray(property) && property.required === true) {
        required.push(name);
        delete property.required;
        moved += 1;
      }
    }
    if (required.length > 0) node.required = required;
    else if (node.required === true || node.required === false) delete node.required;
  }
  for (const [key, child] of Object.entries(node)) {
    if (key !== 'required') moved += liftDraft03Required(child);
  }
  return moved;
}

export interface SchemaCheck {
  (ref: string, data: unknown): string[];
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

let vkAjv: Ajv | undefined;
export let vkRequiredFlagsMoved = 0;

/** Validates against `responses.json#/definitions/NAME` or `objects.json#/definitions/NAME`. */
export const checkVk: SchemaCheck = (ref, data) => {
  if (vkAjv === undefined) {
    vkAjv = new Ajv({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
    for (const file of ['objects.json', 'responses.json']) {
      const schema = readJson(join(referenceDir, 'vk-api-schema', file)) as { [key: string]: Json };
      // "$schema": "schema.json" names the repository's own meta-schema, which ajv cannot load.
      delete schema.$schema;
      vkRequiredFlagsMoved += liftDraft03Required(schema);
      vkAjv.addSchema(schema, file);
    }
  }
  const validate = vkAjv.getSchema(ref);
  if (validate === undefined) throw new Error(`no VK schema ${ref}`);
  return validate(data) ? [] : formatErrors(validate.errors);
};

/** VK error codes as listed in errors.json, keyed by code. */
export function vkErrorCodes(): Map<number, string> {
  const doc = readJson(join(referenceDir, 'vk-api-schema/errors.json')) as { errors: Record<string, { code: number; description: string }> };
  return new Map(Object.values(doc.errors).map((entry) => [entry.code, entry.description]));
}

let telegramAjv: Ajv | undefined;
/** Validates against the OpenAPI document of Bot API 8.1: `#/components/schemas/NAME` or a path's 200 answer. */
export const checkTelegramOpenApi: SchemaCheck = (ref, data) => {
  if (telegramAjv === undefined) {
    telegramAjv = new Ajv({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
    telegramAjv.addSchema(readJson(join(referenceDir, 'telegram-bot-api/openapi.ark0f-8.1.json')) as object, 'tg-openapi.json');
  }
  const validate = telegramAjv.getSchema(`tg-openapi.json${ref}`);
  if (validate === undefined) throw new Error(`no Telegram schema ${ref}`);
  return validate(data) ? [] : formatErrors(validate.errors);
};

interface TgField { name: string; types: string[]; required: boolean }
interface TgType { name: string; fields?: TgField[]; subtypes?: string[] }
let tgTypes: Record<string, TgType> | undefined;

/**
 * Bot API 10.1 (api.json, scraped from the official page) has no JSON Schema, so this
 * walks its type table: every field of the fixture must exist on the type, every
 * required field must be present, and every value must have one of the listed types.
 */
export function checkTelegramType(typeName: string, value: unknown, path = typeName): string[] {
  tgTypes ??= (readJson(join(referenceDir, 'telegram-bot-api/api.json')) as { types: Record<string, TgType> }).types;
  return checkTgValue([typeName], value, path, tgTypes);
}

function checkTgValue(types: readonly string[], value: unknown, path: string, table: Record<string, TgType>): string[] {
  let best: string[] | null = null;
  for (const type of types) {
    const errors = checkTgOne(type, value, path, table);
    if (errors.length === 0) return [];
    if (best === null || errors.length < best.length) best = errors;
  }
  return best ?? [`${path}: no type`];
}

function checkTgOne(type: string, value: unknown, path: string, table: Record<string, TgType>): string[] {
  if (type.startsWith('Array of ')) {
    if (!Array.isArray(value)) return [`${path}: expected ${type}`];
    return value.flatMap((item, index) => checkTgValue([type.slice('Array of '.length)], item, `${path}[${index}]`, table));
  }
  switch (type) {
    case 'Integer': return Number.isInteger(value) ? [] : [`${path}: expected Integer`];
    case 'Float': return typeof value === 'number' ? [] : [`${path}: expected Float`];
    case 'String': return typeof value === 'string' ? [] : [`${path}: expected String`];
    case 'Boolean': return typeof value === 'boolean' ? [] : [`${path}: expected Boolean`];
    case 'True': return value === true ? [] : [`${path}: expected True`];
    default: break;
  }
  const definition = table[type];
  if (definition === undefined) return [`${path}: unknown type ${type}`];
  if (definition.subtypes !== undefined) return checkTgValue(definition.subtypes, value, path, table);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected ${type} object`];
  const record = value as Record<string, unknown>;
  const fields = definition.fields ?? [];
  const errors: string[] = [];
  for (const key of Object.keys(record)) {
    if (!fields.some((field) => field.name === key)) errors.push(`${path}.${key}: not a field of ${type}`);
  }
  for (const field of fields) {
    if (!(field.name in record)) {
      if (field.required) errors.push(`${path}.${field.name}: required by ${type}`);
      continue;
    }
    errors.push(...checkTgValue(field.types, record[field.name], `${path}.${field.name}`, table));
  }
  return errors;
}

const okDocs = (): string => join(referenceDir, 'ok-api/apiok-documentation/ru');

/**
 * The apiok pages give examples, not schemas: JSON with `/* … *\/` comments (and, in
 * graph.user.chat, a missing comma). This returns the n-th example as a value.
 */
export function okDocExample(page: string, index = 0): unknown {
  const text = readFileSync(join(okDocs(), page), 'utf8');
  const blocks = [...text.matchAll(/\{% highlight json %\}([\s\S]*?)\{% endhighlight %\}/g)].map((match) => match[1] ?? '');
  const block = blocks[index];
  if (block === undefined) throw new Error(`no JSON example ${index} in ${page}`);
  const uncommented = block.replace(/\/\*[\s\S]*?\*\//g, '');
  try {
    return JSON.parse(uncommented) as unknown;
  } catch {
    return JSON.parse(uncommented.replace(/([}\]"\d])\s*\n(\s*")/g, '$1,\n$2')) as unknown;
  }
}

/** The parameter names an OK method page documents (`$params#NAME`). */
export function okDocParams(method: string): string[] {
  const group = method.split('.')[0] ?? '';
  const text = readFileSync(join(okDocs(), group, `${method}.md`), 'utf8');
  return [...text.matchAll(/^\$params#(\S+)/gm)].map((match) => match[1] ?? '');
}

function mergeExamples(a: unknown, b: unknown): unknown {
  if (jsonKind(a) !== 'object' || jsonKind(b) !== 'object') return a;
  const merged: Record<string, unknown> = { ...(b as Record<string, unknown>) };
  for (const [key, value] of Object.entries(a as Record<string, unknown>)) merged[key] = key in merged ? mergeExamples(value, merged[key]) : value;
  return merged;
}

function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Every field of `value` must appear in the documented example with the same JSON
 * kind; objects keyed by ids ("user:123": …) are compared as maps. `null` in the
 * value is accepted where the example has a string, as the docs say for chat_ids.
 */
export function checkOkShape(example: unknown, value: unknown, path = '$'): string[] {
  const expected = jsonKind(example);
  const actual = jsonKind(value);
  if (expected !== actual && !(actual === 'null' && expected === 'string')) return [`${path}: ${actual}, the docs show ${expected}`];
  if (Array.isArray(example) && Array.isArray(value)) {
    // The docs vary optional fields between items (one message with attachments, one without).
    return example.length === 0 ? [] : value.flatMap((item, index) => checkOkShape(example.reduce(mergeExamples), item, `${path}[${index}]`));
  }
  if (expected !== 'object' || actual !== 'object') return [];
  const documented = example as Record<string, unknown>;
  const given = value as Record<string, unknown>;
  const keys = Object.keys(documented);
  if (keys.length > 0 && keys.every((key) => /^[a-z]+:/.test(key))) {
    const sample = documented[keys[0]!];
    return Object.entries(given).flatMap(([key, item]) => (/^[a-z]+:/.test(key) ? checkOkShape(sample, item, `${path}.${key}`) : [`${path}.${key}: not an id key`]));
  }
  return Object.entries(given).flatMap(([key, item]) => (key in documented ? checkOkShape(documented[key], item, `${path}.${key}`) : [`${path}.${key}: not in the documented example`]));
}

let vkMethodParams: Map<string, Set<string>> | undefined;
/**
 * The parameters a request sends that methods.json does not list for its method (the
 * token, the version and the language are common to all). Empty means every name is real.
 */
export function undocumentedVkParams(method: string, form: Record<string, string>): string[] {
  vkMethodParams ??= new Map((readJson(join(referenceDir, 'vk-api-schema/methods.json')) as { methods: { name: string; parameters?: { name: string }[] }[] }).methods
    .map((entry) => [entry.name, new Set((entry.parameters ?? []).map((param) => param.name))]));
  const known = vkMethodParams.get(method);
  if (known === undefined) return [`${method}: no such method`];
  return Object.keys(form).filter((name) => !['access_token', 'v', 'lang'].includes(name) && !known.has(name));
}

/** The same for a Bot API method of api.json (10.1). */
export function undocumentedTelegramParams(method: string, form: Record<string, string>): string[] {
  const doc = readJson(join(referenceDir, 'telegram-bot-api/api.json')) as { methods: Record<string, { fields?: { name: string }[] }> };
  const entry = doc.methods[method];
  if (entry === undefined) return [`${method}: no such method`];
  const known = new Set((entry.fields ?? []).map((field) => field.name));
  return Object.keys(form).filter((name) => !known.has(name));
}
