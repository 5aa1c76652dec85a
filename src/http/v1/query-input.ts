/**
 * The one place where `/v1` request values become capability input. Query and path values
 * arrive as strings; they are renamed to the capability's field names, coerced to the types
 * the capability's JSON schema declares (integer, number, boolean; nested objects through
 * `name[sub]` or `name.sub`), and validated with the capability's zod schema. Every
 * failure is an `invalid_request` naming the parameter as the client sent it — the first
 * one being any key or value that is not valid percent-encoded UTF-8, on every route.
 */
import type { z } from 'zod';
import { TidingsError } from '../../errors.ts';
import { malformedParameter } from '../query-string.ts';

export type JsonSchema = Record<string, unknown>;

/** How a route's parameters map onto its capability's input fields. */
export interface InputBinding {
  /** Query parameter name → input field. */
  query: Readonly<Record<string, string>>;
  /** Path parameter name → input field. */
  params: Readonly<Record<string, string>>;
  /** JSON body field → input field (routes that take a body). */
  body?: Readonly<Record<string, string>>;
}

/** The query parameter on every capability route that picks a connection (id or email). */
export const CONNECTION_PARAM = 'connection';
const MAX_CONNECTION_LENGTH = 320;
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export interface BoundInput {
  input: Record<string, unknown>;
  connection: string | null;
}

function invalid(field: string, message: string): TidingsError {
  const shown = field.length > 64 ? `${field.slice(0, 64)}…` : field;
  return new TidingsError('invalid_request', `${shown}: ${message}`, { field: shown });
}

function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  const properties = schema?.properties;
  return properties && typeof properties === 'object'
    ? (properties as Record<string, JsonSchema>)
    : {};
}

/** A string coerced to the JSON schema type; left alone when it does not fit (zod says why). */
function coerce(value: string, schema: JsonSchema | undefined): unknown {
  switch (schema?.type) {
    case 'integer':
    case 'number':
      return NUMERIC.test(value) ? Number(value) : value;
    case 'boolean':
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return value;
    default:
      return value;
  }
}

/** `name[sub]` or `name.sub` → [name, sub]; `name` → [name, null]. */
function splitKey(key: string): [string, string | null] {
  const bracket = /^([^[\].]+)\[([^[\].]+)\]$/.exec(key);
  if (bracket) return [bracket[1] ?? '', bracket[2] ?? ''];
  const dot = key.indexOf('.');
  return dot > 0 ? [key.slice(0, dot), key.slice(dot + 1)] : [key, null];
}

/** Refuses a query whose key or value the server could not decode. */
function refuseMalformed(query: unknown): void {
  const key = malformedParameter(query);
  if (key !== null) throw invalid(key, 'not valid percent-encoded UTF-8');
}

function single(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  throw invalid(key, 'give this parameter once');
}

/** Builds the capability input of one request; throws invalid_request naming the parameter. */
export function bindInput(
  binding: InputBinding,
  inputSchema: JsonSchema,
  query: unknown,
  params: unknown,
): BoundInput {
  refuseMalformed(query);
  const fields = propertiesOf(inputSchema);
  const input: Record<string, unknown> = {};
  let connection: string | null = null;
  for (const [key, raw] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const value = single(key, raw);
    if (key === CONNECTION_PARAM) {
      if (value === '' || value.length > MAX_CONNECTION_LENGTH)
        throw invalid(key, `1 to ${MAX_CONNECTION_LENGTH} characters: a connection id or email`);
      connection = value;
      continue;
    }
    const [name, sub] = splitKey(key);
    const field = Object.hasOwn(binding.query, name) ? binding.query[name] : undefined;
    if (field === undefined) throw invalid(key, 'unknown query parameter');
    const schema = fields[field];
    if (sub === null) {
      if (Object.hasOwn(input, field)) throw invalid(key, 'give this parameter once');
      input[field] = coerce(value, schema);
      continue;
    }
    const subSchema = Object.hasOwn(propertiesOf(schema), sub) ? propertiesOf(schema)[sub] : null;
    if (!subSchema) throw invalid(key, 'unknown query parameter');
    if (input[field] === undefined) input[field] = {};
    const nested = input[field] as Record<string, unknown>;
    if (typeof nested !== 'object' || Object.hasOwn(nested, sub))
      throw invalid(key, 'give this parameter once');
    nested[sub] = coerce(value, subSchema);
  }
  for (const [name, field] of Object.entries(binding.params)) {
    const value = (params as Record<string, unknown> | undefined)?.[name];
    input[field] = coerce(typeof value === 'string' ? value : '', fields[field]);
  }
  return { input, connection };
}

/**
 * Adds a JSON body's fields to a bound input: the body must be an object (or absent), and
 * every field one the route takes. Throws invalid_request naming the body field.
 */
export function bindBody(
  binding: InputBinding,
  body: unknown,
  input: Record<string, unknown>,
): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('body', 'the body must be a JSON object');
  }
  const fields = binding.body ?? {};
  for (const [key, value] of Object.entries(body)) {
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) throw invalid(key, 'unknown field');
    if (Object.hasOwn(input, field)) throw invalid(key, 'give this parameter once');
    input[field] = value;
  }
}

/** For routes that take no query parameters: the first one given is an invalid_request. */
export function refuseQuery(query: unknown): void {
  refuseMalformed(query);
  const [first] = Object.keys((query ?? {}) as Record<string, unknown>);
  if (first !== undefined) throw invalid(first, 'unknown query parameter');
}

/** An input field path (`query`, `workingHours.end`) as the client named it (`q`, …). */
export function parameterOf(binding: InputBinding, field: string): string {
  const [head, ...rest] = field.split('.');
  const fromPath = Object.entries(binding.params).find(([, f]) => f === head)?.[0];
  const fromQuery = Object.entries(binding.query).find(([, f]) => f === head)?.[0];
  const fromBody = Object.entries(binding.body ?? {}).find(([, f]) => f === head)?.[0];
  return [fromPath ?? fromQuery ?? fromBody ?? head, ...rest].join('.');
}

/** Validates input with the capability's own schema; throws invalid_request naming the parameter. */
export function checkInput(binding: InputBinding, schema: z.ZodType, input: unknown): void {
  const parsed = schema.safeParse(input);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  if (!issue) throw invalid('input', 'invalid input');
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') path.push(String(issue.keys[0] ?? ''));
  const field = path.length === 0 ? 'input' : parameterOf(binding, path.join('.'));
  throw invalid(field, issue.code === 'unrecognized_keys' ? 'unknown parameter' : issue.message);
}

/**
 * A capability's invalid_request with its field renamed to the client's parameter name.
 * Without a field on a route with one path parameter, Google rejected the id in the path.
 */
export function renameFieldOf(binding: InputBinding, error: unknown): unknown {
  if (!(error instanceof TidingsError) || error.code !== 'invalid_request') return error;
  const pathParams = Object.keys(binding.params);
  const field = error.details.field;
  const renamed =
    field === undefined
      ? pathParams.length === 1
        ? pathParams[0]
        : undefined
      : parameterOf(binding, field);
  if (renamed === undefined || renamed === field) return error;
  return new TidingsError(
    'invalid_request',
    error.message,
    { ...error.details, field: renamed },
    { cause: error },
  );
}
