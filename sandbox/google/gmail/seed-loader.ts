/**
 * Loads a seed mailbox from a folder: `labels.json` (user labels) and every `.eml`, moved
 * in time by whole days so the seed's reference week becomes the current week, and back
 * by further whole weeks when that would date any message after `shift.notAfter` (mail
 * written for Friday must not arrive on Monday). Per file:
 * - `X-Gmail-Labels: INBOX, UNREAD, Label_1` gives the label ids and is removed;
 * - the `Date:` header is shifted (its UTC offset kept), which shifts internalDate;
 * - `{{2026-03-05|MMMM d}}` placeholders (an ISO date or date-time, then a Luxon format)
 *   anywhere in the raw text become that date shifted the same way, so deadlines written
 *   in bodies and invites stay true.
 * Line endings become CRLF, as Gmail stores them. Messages are imported oldest first, so
 * ids and history ids follow time.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { SeedShift } from '../context.ts';
import type { LabelColor } from './labels.ts';
import { formatMailDate, parseMailDate } from './mail-date.ts';
import type { GmailStore } from './store.ts';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const PLACEHOLDER = /\{\{(\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)\|([^}]+)\}\}/g;

interface SeedLabel {
  id: string;
  name: string;
  color?: LabelColor;
}

/** Replaces date placeholders with the shifted, formatted date. */
export function expandDatePlaceholders(text: string, days: number): string {
  return text.replace(PLACEHOLDER, (whole, iso: string, format: string) => {
    const date = DateTime.fromISO(iso, { setZone: true, zone: 'utc' });
    if (!date.isValid) return whole;
    return date.plus({ days }).toFormat(format.trim(), { locale: 'en-US' });
  });
}

export interface PreparedSeedMessage {
  raw: Buffer;
  labelIds: string[];
  epochMs: number;
}

/** Applies the shift to one raw seed message and takes its labels out. */
export function prepareSeedMessage(file: Buffer, days: number): PreparedSeedMessage {
  const text = expandDatePlaceholders(file.toString('latin1'), days).replace(/\r?\n/g, '\r\n');
  const split = /\r?\n\r?\n/.exec(text);
  const headEnd = split ? split.index : text.length;
  const lines = text.slice(0, headEnd).split(/(?<=\n)/);
  const kept: string[] = [];
  let labelIds: string[] = [];
  let epochMs = Number.NaN;
  for (let i = 0; i < lines.length; i++) {
    let header = lines[i]!;
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) header += lines[++i];
    const name = /^([^:\s]+):/.exec(header)?.[1]?.toLowerCase();
    const value = header.slice(header.indexOf(':') + 1).trim();
    if (name === 'x-gmail-labels') {
      labelIds = value
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean);
      continue;
    }
    if (name === 'date') {
      const date = parseMailDate(value);
      if (date) {
        const shifted = { ...date, epochMs: date.epochMs + days * DAY_MS };
        epochMs = shifted.epochMs;
        const eol = header.endsWith('\r\n') ? '\r\n' : header.endsWith('\n') ? '\n' : '';
        header = `Date: ${formatMailDate(shifted)}${eol}`;
      }
    }
    kept.push(header);
  }
  const raw = Buffer.from(kept.join('') + text.slice(headEnd), 'latin1');
  return { raw, labelIds, epochMs };
}

async function readLabels(dir: string): Promise<SeedLabel[]> {
  try {
    return JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')) as SeedLabel[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Imports the seed folder `dir` into `email`'s mailbox; a missing folder is no error. */
export async function loadGmailSeed(
  store: GmailStore,
  email: string,
  dir: string,
  shift: SeedShift,
): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.eml')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const label of await readLabels(dir)) {
    store.defineLabel(email, {
      id: label.id,
      name: label.name,
      ...(label.color ? { color: label.color } : {}),
    });
  }
  const files = await Promise.all(names.map((name) => readFile(join(dir, name))));
  const days = mailDays(files, shift);
  const prepared = files.map((file) => prepareSeedMessage(file, days));
  prepared.sort((a, b) => (a.epochMs || 0) - (b.epochMs || 0));
  for (const message of prepared) store.importMessage(email, message.raw, message.labelIds);
}

/** The shift for mail: `shift.days`, less whole weeks until no message is after `notAfter`. */
export function mailDays(files: readonly Buffer[], shift: SeedShift): number {
  if (shift.notAfter === undefined) return shift.days;
  let newest = Number.NEGATIVE_INFINITY;
  for (const file of files) {
    const { epochMs } = prepareSeedMessage(file, shift.days);
    if (epochMs > newest) newest = epochMs;
  }
  if (newest <= shift.notAfter) return shift.days;
  return shift.days - 7 * Math.ceil((newest - shift.notAfter) / WEEK_MS);
}
