/**
 * What the query evaluator looks at for one message: decoded and folded address headers,
 * subject, body text and attachment names, computed once when a message is imported.
 */
import { decodeEncodedWords } from './encoded-words.ts';
import { headerValue } from './mime-headers.ts';
import type { MimePart } from './mime-parser.ts';
import { attachmentNames, messageBodyText } from './message-text.ts';
import { foldText } from './text-match.ts';

export interface SearchDocument {
  from: string;
  to: string;
  cc: string;
  bcc: string;
  deliveredTo: string;
  subject: string;
  /** Headers, body and filenames together: what bare words are matched against. */
  text: string;
  /** Folded attachment filenames. */
  filenames: string[];
  /** Folded Message-ID without angle brackets. */
  messageId: string;
  /** Folded List-Id / List-Post, for `list:`. */
  list: string;
}

function header(root: MimePart, name: string): string {
  return foldText(decodeEncodedWords(headerValue(root.headers, name) ?? ''));
}

export function buildSearchDocument(root: MimePart): SearchDocument {
  const from = header(root, 'from');
  const to = header(root, 'to');
  const cc = header(root, 'cc');
  const bcc = header(root, 'bcc');
  const subject = header(root, 'subject');
  const filenames = attachmentNames(root).map(foldText);
  const body = foldText(messageBodyText(root));
  return {
    from,
    to,
    cc,
    bcc,
    deliveredTo: header(root, 'delivered-to'),
    subject,
    text: [from, to, cc, subject, body, ...filenames].join(' \n '),
    filenames,
    messageId: header(root, 'message-id').replace(/[<>]/g, '').trim(),
    list: `${header(root, 'list-id')} ${header(root, 'list-post')}`,
  };
}
