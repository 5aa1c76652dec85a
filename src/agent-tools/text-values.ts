/**
 * Reading the JSON a tool returned without trusting its shape: narrowing unknown values,
 * and the two pieces of text every renderer shares (a counted noun, compact JSON).
 * Nothing here throws.
 */

export type Rec = Record<string, unknown>;

export function rec(value: unknown): Rec | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Rec)
    : null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Every item read, or null when the value is not an array or an item is unreadable. */
export function list<T>(value: unknown, read: (item: unknown) => T | null): T[] | null {
  if (!Array.isArray(value)) return null;
  const items: T[] = [];
  for (const raw of value) {
    const item = read(raw);
    if (item === null) return null;
    items.push(item);
  }
  return items;
}

/** `1 message`, `3 messages`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Compact JSON of any value; a marker for what JSON cannot serialise. */
export function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '"(not serialisable)"';
  }
}
