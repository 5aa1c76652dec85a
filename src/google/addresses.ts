/**
 * Address headers (`From`, `To`, `Cc`) → `{name, email}` list. Handles quoted display
 * names with commas, bare addresses, group syntax, and encoded words in names.
 */
import { decodeHeaderValue } from './rfc2047.ts';

export interface Address {
  name: string | null;
  email: string;
}

/** Splits on commas that are outside quotes, angle brackets and comments. */
function splitAddresses(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '\\' && quoted) {
      current += ch + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle = Math.max(0, angle - 1);
    else if (!quoted && ch === '(') comment++;
    else if (!quoted && ch === ')') comment = Math.max(0, comment - 1);
    if (!quoted && angle === 0 && comment === 0 && (ch === ',' || ch === ';')) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function cleanName(raw: string): string | null {
  let name = raw.trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) {
    name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  name = decodeHeaderValue(name).trim();
  return name === '' ? null : name;
}

/** Parses one address (`Name <a@b>`, `a@b (Name)`, `a@b`); null when there is no address. */
export function parseAddress(raw: string): Address | null {
  const text = raw.trim();
  const angle = /^(.*)<([^<>]*)>\s*$/s.exec(text);
  if (angle) {
    const email = (angle[2] ?? '').trim();
    return email === '' ? null : { name: cleanName(angle[1] ?? ''), email };
  }
  const comment = /^([^\s()]+@[^\s()]+)\s*\((.*)\)$/.exec(text);
  if (comment) return { name: cleanName(comment[2] ?? ''), email: comment[1] ?? '' };
  return text.includes('@') ? { name: null, email: text } : null;
}

/** Parses an address list header; groups (`Team: a@b, c@d;`) are flattened. */
export function parseAddressList(value: string | null | undefined): Address[] {
  if (!value) return [];
  const addresses: Address[] = [];
  for (const part of splitAddresses(value)) {
    const group = /^[^"<@]*?:(.*)$/s.exec(part);
    const address = parseAddress(group ? (group[1] ?? '') : part);
    if (address) addresses.push(address);
  }
  return addresses;
}
