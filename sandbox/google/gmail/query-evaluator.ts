/**
 * Evaluates a parsed Gmail query against a stored message. Relative dates
 * (`newer_than:2d`) count back from the sandbox clock; calendar dates (`after:2026/03/01`)
 * start at midnight in the user's time zone, as in Gmail.
 */
import { DateTime } from 'luxon';
import type { UserLabel } from './labels.ts';
import type { QueryNode } from './query-parser.ts';
import type { StoredMessage } from './store.ts';
import { containsTerm, foldText } from './text-match.ts';

export interface QueryContext {
  now: Date;
  /** IANA zone for calendar dates in `after:` / `before:`. */
  timeZone: string;
  /** The mailbox owner's address (what `me` means). */
  owner: string;
  userLabels: readonly UserLabel[];
}

const IN_LABELS: Record<string, string> = {
  inbox: 'INBOX',
  sent: 'SENT',
  spam: 'SPAM',
  trash: 'TRASH',
  draft: 'DRAFT',
  drafts: 'DRAFT',
  starred: 'STARRED',
  important: 'IMPORTANT',
  unread: 'UNREAD',
  chats: 'CHAT',
  chat: 'CHAT',
};
const CATEGORIES: Record<string, string> = {
  primary: 'CATEGORY_PERSONAL',
  personal: 'CATEGORY_PERSONAL',
  social: 'CATEGORY_SOCIAL',
  promotions: 'CATEGORY_PROMOTIONS',
  updates: 'CATEGORY_UPDATES',
  forums: 'CATEGORY_FORUMS',
};

const labelKey = (text: string): string => foldText(text).replace(/[\s/]+/g, '-');

function resolveLabel(value: string, context: QueryContext): string | undefined {
  const key = labelKey(value);
  if (IN_LABELS[key]) return IN_LABELS[key];
  const upper = value.toUpperCase();
  if (/^(CATEGORY_[A-Z]+|INBOX|SENT|SPAM|TRASH|DRAFT|STARRED|IMPORTANT|UNREAD|CHAT)$/.test(upper)) {
    return upper;
  }
  for (const label of context.userLabels) {
    if (label.id.toLowerCase() === value.toLowerCase() || labelKey(label.name) === key) {
      return label.id;
    }
  }
  return undefined;
}

/** Epoch ms for `YYYY/MM/DD`, `YYYY-MM-DD`, `MM/DD/YYYY` (midnight in zone) or epoch s. */
export function parseQueryDate(value: string, timeZone: string): number | undefined {
  if (/^\d{9,}$/.test(value)) return Number(value) * 1000;
  let parts = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value)?.slice(1);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!parts && us) parts = [us[3]!, us[1]!, us[2]!];
  if (!parts) return undefined;
  const [year, month, day] = parts.map(Number) as [number, number, number];
  const date = DateTime.fromObject({ year, month, day }, { zone: timeZone });
  return date.isValid ? date.toMillis() : undefined;
}

function relativeStart(value: string, now: Date): number | undefined {
  const match = /^(\d+)([dmy])$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const letter = match[2]!.toLowerCase();
  const unit = letter === 'd' ? 'days' : letter === 'm' ? 'months' : 'years';
  return DateTime.fromJSDate(now)
    .minus({ [unit]: amount })
    .toMillis();
}

function parseSize(value: string): number | undefined {
  const match = /^(\d+)([kKmM]?)$/.exec(value);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase();
  return Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
}

function address(doc: string, value: string, context: QueryContext): boolean {
  const term = value.toLowerCase() === 'me' ? context.owner : foldText(value);
  return containsTerm(doc, term);
}

function evaluateTerm(
  field: string | null,
  rawValue: string,
  message: StoredMessage,
  context: QueryContext,
): boolean {
  const doc = message.search;
  const value = rawValue.trim();
  const folded = foldText(value).trim();
  const has = (label: string | undefined): boolean =>
    label !== undefined && message.labelIds.includes(label);
  switch (field) {
    case null:
      return containsTerm(doc.text, folded);
    case 'from':
      return address(doc.from, value, context);
    case 'to':
      return [doc.to, doc.cc, doc.bcc].some((text) => address(text, value, context));
    case 'cc':
      return address(doc.cc, value, context);
    case 'bcc':
      return address(doc.bcc, value, context);
    case 'deliveredto':
      return address(doc.deliveredTo, value, context);
    case 'subject':
      return containsTerm(doc.subject, folded);
    case 'list':
      return containsTerm(doc.list, folded);
    case 'rfc822msgid':
      return doc.messageId === folded.replace(/[<>]/g, '');
    case 'is':
      if (folded === 'read') return !has('UNREAD');
      return has(IN_LABELS[folded]);
    case 'in':
      return folded === 'anywhere' || has(IN_LABELS[folded]);
    case 'label':
      return has(resolveLabel(value, context));
    case 'category': {
      if (folded === 'primary' && !message.labelIds.some((l) => l.startsWith('CATEGORY_'))) {
        return true;
      }
      return has(CATEGORIES[folded]);
    }
    case 'has':
      if (folded === 'attachment') return doc.filenames.length > 0;
      if (folded === 'userlabels') return message.labelIds.some((l) => l.startsWith('Label_'));
      if (folded === 'nouserlabels') return !message.labelIds.some((l) => l.startsWith('Label_'));
      if (folded === 'yellow-star') return has('STARRED');
      return false;
    case 'filename':
      return doc.filenames.some(
        (name) => name === folded || name.endsWith(`.${folded}`) || containsTerm(name, folded),
      );
    case 'newer_than':
    case 'older_than': {
      const start = relativeStart(folded, context.now);
      if (start === undefined) return false;
      return field === 'newer_than' ? message.internalDate > start : message.internalDate < start;
    }
    case 'after':
    case 'newer':
    case 'before':
    case 'older': {
      const at = parseQueryDate(folded, context.timeZone);
      if (at === undefined) return false;
      const after = field === 'after' || field === 'newer';
      return after ? message.internalDate >= at : message.internalDate < at;
    }
    case 'larger':
    case 'size':
    case 'smaller': {
      const size = parseSize(value);
      if (size === undefined) return false;
      return field === 'smaller' ? message.raw.length < size : message.raw.length >= size;
    }
    default:
      return containsTerm(doc.text, foldText(`${field}:${value}`));
  }
}

export function evaluateQuery(
  node: QueryNode,
  message: StoredMessage,
  context: QueryContext,
): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((child) => evaluateQuery(child, message, context));
    case 'or':
      return node.children.some((child) => evaluateQuery(child, message, context));
    case 'not':
      return !evaluateQuery(node.child, message, context);
    case 'term':
      return evaluateTerm(node.field, node.value, message, context);
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

/**
 * Whether the query itself asks for spam or trash (then they are not excluded). Only a
 * term that is not negated asks: `-in:spam` means "the normal messages, minus spam", so it
 * lets neither spam nor trash in, as in Gmail.
 */
export function queryReachesSpamOrTrash(node: QueryNode, negated = false): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.some((child) => queryReachesSpamOrTrash(child, negated));
    case 'not':
      return queryReachesSpamOrTrash(node.child, !negated);
    case 'term':
      return (
        !negated &&
        ((node.field === 'in' && /^(spam|trash|anywhere)$/i.test(node.value)) ||
          (node.field === 'label' && /^(spam|trash)$/i.test(node.value)))
      );
    default:
      return false;
  }
}
