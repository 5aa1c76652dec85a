/**
 * The readable text of a parsed message: its text parts decoded from their charsets (HTML
 * turned into text), the snippet Gmail shows (plain text, whitespace collapsed, about 200
 * characters, HTML entities escaped) and attachment filenames.
 */
import { convert } from 'html-to-text';
import { decodeCharset } from './charset.ts';
import { leafParts, type MimePart } from './mime-parser.ts';

const SNIPPET_LENGTH = 200;

/** Whether a leaf is an attachment rather than body text. */
export function isAttachment(part: MimePart): boolean {
  return part.filename !== '' || part.disposition === 'attachment';
}

export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', options: { uppercaseHeaderCells: false } },
    ],
  });
}

/** The decoded text of one text/plain or text/html leaf. */
export function partText(part: MimePart): string {
  const text = decodeCharset(part.body, part.params.charset);
  return part.mimeType === 'text/html' ? htmlToPlainText(text) : text;
}

function textLeaves(root: MimePart): MimePart[] {
  return leafParts(root).filter(
    (part) =>
      !isAttachment(part) && (part.mimeType === 'text/plain' || part.mimeType === 'text/html'),
  );
}

/** All body text of the message (every text leaf, HTML converted), for searching. */
export function messageBodyText(root: MimePart): string {
  return textLeaves(root).map(partText).join('\n');
}

/** The body text a reader sees first: the first text/plain leaf, else the first HTML one. */
export function primaryText(root: MimePart): string {
  const leaves = textLeaves(root);
  const preferred = leaves.find((part) => part.mimeType === 'text/plain') ?? leaves[0];
  return preferred ? partText(preferred) : '';
}

export function escapeHtmlEntities(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Gmail's snippet: collapsed plain text, cut near 200 characters, entities escaped. */
export function snippetOf(root: MimePart): string {
  const text = primaryText(root).replace(/\s+/g, ' ').trim();
  const cut = [...text].slice(0, SNIPPET_LENGTH).join('').trimEnd();
  return escapeHtmlEntities(cut);
}

/** Decoded filenames of every attachment leaf. */
export function attachmentNames(root: MimePart): string[] {
  return leafParts(root)
    .filter((part) => part.filename !== '')
    .map((part) => part.filename);
}
