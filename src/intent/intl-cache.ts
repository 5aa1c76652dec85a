/**
 * Time zone names checked, and Intl date formats built, once per process. Luxon's
 * `IANAZone.isValidZone` builds an `Intl.DateTimeFormat` on every call, and building one
 * costs more than formatting with it; a reply checks its zone and formats its times
 * several times over. Both answers depend only on their arguments, so they are kept, up
 * to a bound: past it, what is new is answered without being kept.
 */
import { IANAZone } from 'luxon';

const MAX_KEPT = 500;

const zoneValidity = new Map<string, boolean>();
const formats = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA time zone this runtime knows (as Luxon's `isValidZone`). */
export function isValidZoneName(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  const known = zoneValidity.get(zone);
  if (known !== undefined) return known;
  const valid = IANAZone.isValidZone(zone);
  if (zoneValidity.size < MAX_KEPT) zoneValidity.set(zone, valid);
  return valid;
}

/** `new Intl.DateTimeFormat(locale, options)`, built once for each locale and option set. */
export function dateTimeFormat(
  locale: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale ?? ''}\u0000${JSON.stringify(options)}`;
  const kept = formats.get(key);
  if (kept) return kept;
  const format = new Intl.DateTimeFormat(locale, options);
  if (formats.size < MAX_KEPT) formats.set(key, format);
  return format;
}
