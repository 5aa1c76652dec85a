/**
 * Which conversation a newly imported message joins: first by `Message-ID`,
 * `In-Reply-To` and `References` (in either import order), then — for replies and
 * forwards only — by normalized subject shared with a thread whose participants overlap.
 */
import { decodeEncodedWords } from './encoded-words.ts';
import { headerValue, type MimeHeader } from './mime-headers.ts';

export interface ThreadIndex {
  /** Folded RFC 822 message ids (own and referenced) → thread id. */
  byMessageId: Map<string, string>;
  /** Normalized subject → thread ids with their participants. */
  bySubject: Map<string, { threadId: string; participants: Set<string> }[]>;
}

export function createThreadIndex(): ThreadIndex {
  return { byMessageId: new Map(), bySubject: new Map() };
}

const REPLY_PREFIX = /^\s*(?:re|fwd?|aw|sv|tr|wg|antw|vs)(?:\[\d+\])?\s*:\s*/i;

/** The subject without reply/forward prefixes, folded; and whether one was present. */
export function normalizeSubject(subject: string): { key: string; isReply: boolean } {
  let text = decodeEncodedWords(subject);
  let isReply = false;
  while (REPLY_PREFIX.test(text)) {
    text = text.replace(REPLY_PREFIX, '');
    isReply = true;
  }
  return { key: text.replace(/\s+/g, ' ').trim().toLowerCase(), isReply };
}

function messageIds(value: string | undefined): string[] {
  return [...(value ?? '').matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!.toLowerCase());
}

/** Email addresses found in From/To/Cc, lower-cased, the mailbox owner left out. */
export function participants(headers: readonly MimeHeader[], owner: string): Set<string> {
  const text = ['from', 'to', 'cc'].map((name) => headerValue(headers, name) ?? '').join(',');
  const found = text.match(/[^\s<>,;:"()]+@[^\s<>,;:"()]+/g) ?? [];
  return new Set(found.map((address) => address.toLowerCase()).filter((a) => a !== owner));
}

/** Finds the thread for a message, or returns `newThreadId`; records the message's keys. */
export function assignThread(
  index: ThreadIndex,
  headers: readonly MimeHeader[],
  owner: string,
  newThreadId: string,
): string {
  const own = messageIds(headerValue(headers, 'message-id'));
  const referenced = [
    ...messageIds(headerValue(headers, 'in-reply-to')),
    ...messageIds(headerValue(headers, 'references')),
  ];
  const keys = [...own, ...referenced];
  let threadId = keys.map((key) => index.byMessageId.get(key)).find((id) => id !== undefined);
  const subject = normalizeSubject(headerValue(headers, 'subject') ?? '');
  const people = participants(headers, owner);
  if (!threadId && subject.isReply && subject.key !== '') {
    const candidates = index.bySubject.get(subject.key) ?? [];
    threadId = candidates.find((c) => [...people].some((p) => c.participants.has(p)))?.threadId;
  }
  const chosen = threadId ?? newThreadId;
  for (const key of keys) if (!index.byMessageId.has(key)) index.byMessageId.set(key, chosen);
  if (subject.key !== '') {
    const entries = index.bySubject.get(subject.key) ?? [];
    const entry = entries.find((e) => e.threadId === chosen);
    if (entry) for (const person of people) entry.participants.add(person);
    else entries.push({ threadId: chosen, participants: people });
    index.bySubject.set(subject.key, entries);
  }
  return chosen;
}
