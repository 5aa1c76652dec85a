/**
 * The locale a person's dates and times are written in, from the `language_code` their
 * Telegram app reports (an IETF tag: `de`, `pt-br`, `en-US`). Telegram reports plain `en`
 * for English whatever the country, which says nothing about 12- or 24-hour clocks; it is
 * read as the default, en-GB. A tag the runtime cannot format is ignored.
 */

export const DEFAULT_LOCALE = 'en-GB';

/** The canonical locale for a Telegram language code, or null when there is none to use. */
export function localeOf(languageCode: string | undefined): string | null {
  if (!languageCode || languageCode.length > 35) return null;
  try {
    const [tag] = Intl.getCanonicalLocales(languageCode);
    if (!tag) return null;
    if (tag === 'en') return DEFAULT_LOCALE;
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? tag : null;
  } catch {
    return null;
  }
}
