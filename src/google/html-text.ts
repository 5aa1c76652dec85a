/**
 * HTML mail → readable plain text: links kept as `text [url]`, images (and with them
 * tracking pixels) dropped, no hard wrapping, no runs of blank lines.
 */
import { convert } from 'html-to-text';

export function htmlToText(html: string): string {
  const text = convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      {
        selector: 'a',
        options: { hideLinkHrefIfSameAsText: true, ignoreHref: false, linkBrackets: ['[', ']'] },
      },
      { selector: 'style', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'head', format: 'skip' },
    ],
  });
  return tidyText(text);
}

/** Trims line ends and collapses three or more newlines into one blank line. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
