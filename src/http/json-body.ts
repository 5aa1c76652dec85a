/**
 * The server's JSON body parser. It refuses what Fastify's own refuses — a property named
 * `__proto__`, or `constructor` holding `prototype`, at any depth (prototype poisoning:
 * `onProtoPoisoning` and `onConstructorPoisoning` set to `error`) — but says so, with the
 * property's path, instead of calling the body "not valid JSON". Broken JSON and an empty
 * body keep Fastify's errors.
 */
import { errorCodes, type FastifyInstance } from 'fastify';
import { TidingsError } from '../errors.ts';

type Found = { name: string; path: string } | null;

/** The first forbidden property of a parsed body, searched without recursion. */
function forbiddenProperty(root: unknown): Found {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value: root, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value !== 'object' || value === null) continue;
    const keys = Object.keys(value);
    for (const key of keys) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '__proto__') return { name: key, path: [...path, key].join('.') };
      if (
        key === 'constructor' &&
        typeof child === 'object' &&
        child !== null &&
        Object.hasOwn(child, 'prototype')
      ) {
        return { name: 'constructor.prototype', path: [...path, key, 'prototype'].join('.') };
      }
    }
    for (const key of keys.reverse()) {
      pending.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return null;
}

/** Parses a JSON body; throws the 400 the error handler turns into a problem. */
export function parseJsonBody(text: string): unknown {
  if (text === '') throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
  // Only a body that spells one of the names (or escapes characters) can hold one.
  if (!/__proto__|constructor|\\u/.test(text)) return body;
  const found = forbiddenProperty(body);
  if (found) {
    throw new TidingsError(
      'invalid_request',
      `The JSON body uses the property name "${found.name}", which is not accepted.`,
      { field: found.path },
    );
  }
  return body;
}

/** Replaces the server's `application/json` parser (child scopes inherit it). */
export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    try {
      done(null, parseJsonBody(text as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
