/**
 * Reads a time zone the way people type it ("Europe/Berlin", "berlin", "CET", "new york",
 * "UTC+2") and answers a valid IANA zone name, or null. Names are checked against the
 * runtime's own zone database; a small alias table covers abbreviations and big cities
 * that are not zone names themselves.
 */
import { dateTimeFormat, isValidZoneName } from './intl-cache.ts';

const ALIASES: Record<string, string> = {
  utc: 'UTC',
  gmt: 'UTC',
  z: 'UTC',
  zulu: 'UTC',
  cet: 'Europe/Berlin',
  cest: 'Europe/Berlin',
  met: 'Europe/Berlin',
  wet: 'Europe/Lisbon',
  west: 'Europe/Lisbon',
  eet: 'Europe/Athens',
  eest: 'Europe/Athens',
  bst: 'Europe/London',
  uk: 'Europe/London',
  msk: 'Europe/Moscow',
  est: 'America/New_York',
  edt: 'America/New_York',
  et: 'America/New_York',
  eastern: 'America/New_York',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  ct: 'America/Chicago',
  central: 'America/Chicago',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  mt: 'America/Denver',
  mountain: 'America/Denver',
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  pt: 'America/Los_Angeles',
  pacific: 'America/Los_Angeles',
  akst: 'America/Anchorage',
  hst: 'Pacific/Honolulu',
  ist: 'Asia/Kolkata',
  india: 'Asia/Kolkata',
  jst: 'Asia/Tokyo',
  kst: 'Asia/Seoul',
  aest: 'Australia/Sydney',
  aedt: 'Australia/Sydney',
  acst: 'Australia/Adelaide',
  awst: 'Australia/Perth',
  nzst: 'Pacific/Auckland',
  nzdt: 'Pacific/Auckland',
  nz: 'Pacific/Auckland',
  'new york': 'America/New_York',
  nyc: 'America/New_York',
  boston: 'America/New_York',
  washington: 'America/New_York',
  miami: 'America/New_York',
  atlanta: 'America/New_York',
  'san francisco': 'America/Los_Angeles',
  sf: 'America/Los_Angeles',
  seattle: 'America/Los_Angeles',
  la: 'America/Los_Angeles',
  'silicon valley': 'America/Los_Angeles',
  austin: 'America/Chicago',
  dallas: 'America/Chicago',
  houston: 'America/Chicago',
  munich: 'Europe/Berlin',
  frankfurt: 'Europe/Berlin',
  hamburg: 'Europe/Berlin',
  cologne: 'Europe/Berlin',
  geneva: 'Europe/Zurich',
  barcelona: 'Europe/Madrid',
  milan: 'Europe/Rome',
  kyiv: 'Europe/Kyiv',
  kiev: 'Europe/Kyiv',
  'st petersburg': 'Europe/Moscow',
  mumbai: 'Asia/Kolkata',
  delhi: 'Asia/Kolkata',
  'new delhi': 'Asia/Kolkata',
  bangalore: 'Asia/Kolkata',
  bengaluru: 'Asia/Kolkata',
  chennai: 'Asia/Kolkata',
  kolkata: 'Asia/Kolkata',
  calcutta: 'Asia/Kolkata',
  beijing: 'Asia/Shanghai',
  shenzhen: 'Asia/Shanghai',
  'ho chi minh': 'Asia/Ho_Chi_Minh',
  saigon: 'Asia/Ho_Chi_Minh',
  wellington: 'Pacific/Auckland',
  canberra: 'Australia/Sydney',
  'tel aviv': 'Asia/Jerusalem',
  'rio de janeiro': 'America/Sao_Paulo',
  rio: 'America/Sao_Paulo',
  ottawa: 'America/Toronto',
  montreal: 'America/Toronto',
  quebec: 'America/Toronto',
  'cape town': 'Africa/Johannesburg',
};

/** Modern names the runtime may list under an older spelling. */
const PREFERRED: Record<string, string> = {
  'asia/calcutta': 'Asia/Kolkata',
  'europe/kiev': 'Europe/Kyiv',
  'asia/saigon': 'Asia/Ho_Chi_Minh',
  'asia/katmandu': 'Asia/Kathmandu',
  'america/godthab': 'America/Nuuk',
  'asia/rangoon': 'Asia/Yangon',
};

function knownZones(): Map<string, string> {
  const zones = new Map<string, string>();
  for (const zone of Intl.supportedValuesOf('timeZone')) zones.set(zone.toLowerCase(), zone);
  for (const [lower, zone] of Object.entries(PREFERRED)) {
    zones.set(lower, zone);
    zones.set(zone.toLowerCase(), zone);
  }
  return zones;
}

/** The zone's canonical name as the runtime spells it ("etc/gmt+5" → "Etc/GMT+5"), or null. */
function valid(zone: string): string | null {
  if (!isValidZoneName(zone)) return null;
  const canonical = dateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return PREFERRED[canonical.toLowerCase()] ?? canonical;
}

/** A valid IANA zone for what the user typed, or null. */
export function parseTimeZone(input: string): string | null {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '' || text.length > 64) return null;
  const lower = text.toLowerCase();
  const alias = ALIASES[lower];
  if (alias) return valid(alias);

  const offset = /^(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?00)?$/.exec(lower);
  if (offset?.[1] && offset[2]) {
    const hours = Number(offset[2]);
    if (hours === 0) return 'UTC';
    if (hours > 14) return null;
    // Etc/GMT zones carry the inverted POSIX sign: UTC+2 is Etc/GMT-2.
    return valid(`Etc/GMT${offset[1] === '+' ? '-' : '+'}${hours}`);
  }

  const zones = knownZones();
  const exact = zones.get(lower);
  if (exact) return valid(exact);
  if (lower.includes('/')) return valid(text);
  const city = lower.replace(/ /g, '_');
  for (const [key, zone] of zones) {
    if (key.endsWith(`/${city}`)) return valid(PREFERRED[key] ?? zone);
  }
  return null;
}
