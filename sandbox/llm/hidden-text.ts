/**
 * Text as a model reads it, hidden parts included: Unicode tag characters (U+E0020–
 * U+E007E, invisible on screen) become the ASCII they encode, HTML entities are decoded,
 * and every other format character (`\p{Cf}`: zero-width spaces and joiners, bidi
 * controls, soft hyphens) is dropped, so "ig\u200Bnore" reads as "ignore".
 */

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export function revealHidden(text: string): string {
  return decodeEntities(text)
    .replace(/[\u{E0020}-\u{E007E}]/gu, (c) =>
      String.fromCodePoint((c.codePointAt(0) ?? 0xe0020) - 0xe0000),
    )
    .replace(/\p{Cf}/gu, '');
}
