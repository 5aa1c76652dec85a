/**
 * The Unicode tricks the corpus uses to hide or disguise text, written as functions so
 * the corpus reads as plain sentences: tag characters (invisible), zero-width spaces
 * between letters (defeats keyword filters), a right-to-left override (shows the text
 * reversed, the model still reads it in order) and a Cyrillic look-alike letter.
 */

/** Each ASCII character as its invisible tag character (U+E0020–U+E007E). */
export function asTagCharacters(text: string): string {
  return [...text]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code >= 0x20 && code <= 0x7e ? String.fromCodePoint(0xe0000 + code) : c;
    })
    .join('');
}

/** A zero-width space between every two letters of each word. */
export function withZeroWidth(text: string): string {
  return text.replace(/\S+/g, (word) => [...word].join('\u200B'));
}

/** Shown reversed on screen (RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING). */
export function rightToLeft(text: string): string {
  return `\u202E${text}\u202C`;
}

/** CYRILLIC SMALL LETTER A, which looks like the Latin `a`. */
export const CYRILLIC_A = '\u0430';
