/**
 * The query string parser of the whole server: `a=1&b=x+y&b=z` → `{a: '1', b: ['x y', 'z']}`
 * in an object without a prototype, exactly as Fastify's own. Where that one quietly keeps
 * a key or value it cannot decode (`%ZZ`, a cut-off `%E0%A4%A`, an encoded lone surrogate)
 * as raw text, this one also remembers the first such parameter, so a route can refuse it
 * (`malformedParameter`) instead of searching for `%E0%A4%A` as if it were meant.
 */

const MALFORMED = Symbol('first parameter that is not valid percent-encoded UTF-8');

type Query = Record<string, string | string[]> & { [MALFORMED]?: string };

/** Decoded text, or null when it is not valid percent-encoded UTF-8. */
function decode(text: string): string | null {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return null;
  }
}

export function parseQueryString(input: string): Record<string, string | string[]> {
  const query = Object.create(null) as Query;
  for (const pair of input.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawKey = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? '' : pair.slice(equals + 1);
    const decodedKey = decode(rawKey);
    const decodedValue = decode(rawValue);
    const key = decodedKey ?? rawKey.replace(/\+/g, ' ');
    const value = decodedValue ?? rawValue.replace(/\+/g, ' ');
    if ((decodedKey === null || decodedValue === null) && query[MALFORMED] === undefined) {
      Object.defineProperty(query, MALFORMED, { value: key, enumerable: false });
    }
    const current = query[key];
    if (current === undefined) query[key] = value;
    else if (Array.isArray(current)) current.push(value);
    else query[key] = [current, value];
  }
  return query;
}

/** The first parameter (as sent) whose key or value could not be decoded, or null. */
export function malformedParameter(query: unknown): string | null {
  if (typeof query !== 'object' || query === null) return null;
  return (query as Query)[MALFORMED] ?? null;
}
