/**
 * Splits a Telegram HTML message into chunks that each fit the 4096-character limit,
 * measured as Telegram measures it: after entity parsing, so tags count nothing and
 * `&amp;` counts one (in UTF-16 units, as Telegram counts). Cuts fall on the best
 * boundary available — blank line, line, sentence, word, and only then anywhere — never
 * inside a tag or an entity, and every tag open at a cut is closed at the end of its
 * chunk and re-opened (with its attributes) at the start of the next, so each chunk is
 * valid on its own.
 */

export const TELEGRAM_TEXT_LIMIT = 4096;

type Atom =
  | { kind: 'open'; name: string; raw: string }
  | { kind: 'close'; name: string; raw: string }
  | { kind: 'char'; raw: string; text: string; width: number };

type OpenAtom = Extract<Atom, { kind: 'open' }>;

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^>]*)?)>/;
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

function tokenize(html: string): Atom[] {
  const atoms: Atom[] = [];
  let i = 0;
  while (i < html.length) {
    const char = html[i] ?? '';
    if (char === '<') {
      const tag = TAG.exec(html.slice(i, i + 1024));
      if (tag?.[2]) {
        const name = tag[2].toLowerCase();
        atoms.push({ kind: tag[1] ? 'close' : 'open', name, raw: tag[0] });
        i += tag[0].length;
        continue;
      }
      atoms.push({ kind: 'char', raw: '&lt;', text: '<', width: 1 });
      i += 1;
      continue;
    }
    if (char === '&') {
      const entity = ENTITY.exec(html.slice(i, i + 16));
      if (entity) {
        const point = entity[1]
          ? Number(entity[1])
          : entity[2]
            ? Number.parseInt(entity[2], 16)
            : -1;
        const text =
          point >= 0
            ? String.fromCodePoint(Math.min(point, 0x10ffff))
            : (NAMED[entity[3] ?? ''] ?? '?');
        atoms.push({ kind: 'char', raw: entity[0], text, width: text.length });
        i += entity[0].length;
        continue;
      }
      atoms.push({ kind: 'char', raw: '&amp;', text: '&', width: 1 });
      i += 1;
      continue;
    }
    if (char === '>') {
      atoms.push({ kind: 'char', raw: '&gt;', text: '>', width: 1 });
      i += 1;
      continue;
    }
    const point = html.codePointAt(i) ?? 0;
    const raw = String.fromCodePoint(point);
    atoms.push({ kind: 'char', raw, text: raw, width: raw.length });
    i += raw.length;
  }
  return atoms;
}

/** The length Telegram counts for a message in HTML parse mode. */
export function visibleLength(html: string): number {
  let width = 0;
  for (const atom of tokenize(html)) if (atom.kind === 'char') width += atom.width;
  return width;
}

const isSpace = (atom: Atom | undefined): boolean =>
  atom?.kind === 'char' && /^\s$/.test(atom.text);

/** How good a cut right after `atoms[j]` is: 4 blank line … 1 word, 0 anywhere. */
function boundaryRank(atoms: Atom[], j: number, previousChar: Atom | undefined): number {
  const atom = atoms[j];
  if (atom?.kind !== 'char') return 0;
  if (atom.text === '\n')
    return previousChar?.kind === 'char' && previousChar.text === '\n' ? 4 : 3;
  if (!isSpace(atom)) return 0;
  return previousChar?.kind === 'char' && /[.!?…]/.test(previousChar.text) ? 2 : 1;
}

function applyTag(stack: OpenAtom[], atom: Atom): void {
  if (atom.kind === 'open') stack.push(atom);
  if (atom.kind === 'close') {
    const at = stack.findLastIndex((open) => open.name === atom.name);
    if (at >= 0) stack.splice(at);
  }
}

/** Finds where the chunk starting at `start` ends (inclusive atom index). */
function chunkEnd(atoms: Atom[], start: number, limit: number): number {
  let width = 0;
  const last = [-1, -1, -1, -1, -1];
  const lastFull = [-1, -1, -1, -1, -1];
  let previousChar: Atom | undefined;
  let j = start;
  for (; j < atoms.length; j++) {
    const atom = atoms[j];
    if (atom?.kind !== 'char') continue;
    if (width + atom.width > limit && width > 0) break;
    width += atom.width;
    const rank = boundaryRank(atoms, j, previousChar);
    last[rank] = j;
    if (width >= limit / 2) lastFull[rank] = j;
    previousChar = atom;
  }
  if (j >= atoms.length) return atoms.length - 1;
  for (let rank = 4; rank >= 1; rank--)
    if ((lastFull[rank] ?? -1) >= 0) return lastFull[rank] ?? -1;
  for (let rank = 4; rank >= 1; rank--) if ((last[rank] ?? -1) >= 0) return last[rank] ?? -1;
  return last[0] ?? start;
}

/** Splits `html` into chunks of at most `limit` visible characters, each valid HTML. */
export function splitMessage(html: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
  const atoms = tokenize(html);
  const total = atoms.reduce((sum, atom) => sum + (atom.kind === 'char' ? atom.width : 0), 0);
  if (total <= limit) return [html];

  const chunks: string[] = [];
  const stack: OpenAtom[] = [];
  let i = 0;
  while (i < atoms.length) {
    while (isSpace(atoms[i])) i++;
    if (i >= atoms.length) break;
    let end = chunkEnd(atoms, i, limit);
    while (atoms[end + 1]?.kind === 'close') end++;

    const reopened = stack.map((atom) => atom.raw).join('');
    const body = atoms.slice(i, end + 1);
    let lastText = body.length - 1;
    while (lastText >= 0 && body[lastText]?.kind !== 'char') lastText--;
    let trimmed = lastText;
    while (trimmed >= 0 && isSpace(body[trimmed])) trimmed--;
    let text = reopened;
    for (const [index, atom] of body.entries()) {
      if (atom.kind === 'char' && index > trimmed && index <= lastText) continue;
      if (atom.kind === 'close' && !stack.some((open) => open.name === atom.name)) continue;
      applyTag(stack, atom);
      text += atom.raw;
    }
    text += [...stack]
      .reverse()
      .map((atom) => `</${atom.name}>`)
      .join('');
    if (visibleLength(text) > 0) chunks.push(text);
    i = end + 1;
  }
  return chunks;
}
