/**
 * RFC 5322 dates: reading a `Date:` header into epoch milliseconds and writing one back
 * (used when seed mail is shifted in time) with the header's own UTC offset kept.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const ZONES: Record<string, number> = {
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

export interface MailDate {
  epochMs: number;
  /** Offset from UTC in minutes, as written in the header. */
  offsetMinutes: number;
}

/** Parses `[Day, ]D Mon YYYY HH:MM[:SS] (+hhmm|zone)`; falls back to Date.parse. */
export function parseMailDate(value: string | undefined): MailDate | undefined {
  if (!value) return undefined;
  const text = value
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const match =
    /^(?:[A-Za-z]{3},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,3})?/.exec(
      text,
    );
  if (match) {
    const [, day, mon, yearText, hh, mm, ss, zone] = match;
    const month = MONTHS.findIndex((name) => name.toLowerCase() === mon!.toLowerCase());
    let year = Number(yearText);
    if (year < 50) year += 2000;
    else if (year < 1000) year += 1900;
    let offset = 0;
    if (zone && /^[+-]\d{4}$/.test(zone)) {
      const sign = zone.startsWith('-') ? -1 : 1;
      offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
    } else if (zone) offset = ZONES[zone.toUpperCase()] ?? 0;
    if (month >= 0) {
      const utc = Date.UTC(year, month, Number(day), Number(hh), Number(mm), Number(ss ?? 0));
      return { epochMs: utc - offset * 60_000, offsetMinutes: offset };
    }
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : { epochMs: parsed, offsetMinutes: 0 };
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** Formats like `Thu, 5 Mar 2026 09:14:00 -0800`. */
export function formatMailDate(date: MailDate): string {
  const local = new Date(date.epochMs + date.offsetMinutes * 60_000);
  const sign = date.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(date.offsetMinutes);
  return (
    `${DAYS[local.getUTCDay()]}, ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ` +
    `${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:` +
    `${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}
