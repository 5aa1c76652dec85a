/**
 * Selecting messages and threads from a mailbox the way `messages.list` and
 * `threads.list` do: a Gmail query, required label ids (all must match), spam and trash
 * left out unless asked for, newest first.
 */
import { evaluateQuery, type QueryContext, queryReachesSpamOrTrash } from './query-evaluator.ts';
import { parseQuery } from './query-parser.ts';
import type { Mailbox, StoredMessage } from './store.ts';

export interface SearchInput {
  q: string;
  labelIds: readonly string[];
  includeSpamTrash: boolean;
}

export interface SearchClock {
  now: Date;
  timeZone: string;
}

const newestFirst = (a: StoredMessage, b: StoredMessage): number =>
  b.internalDate - a.internalDate || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function inSpamOrTrash(message: StoredMessage): boolean {
  return message.labelIds.includes('SPAM') || message.labelIds.includes('TRASH');
}

/** Messages matching the search, newest first. */
export function searchMessages(
  mailbox: Mailbox,
  input: SearchInput,
  clock: SearchClock,
): StoredMessage[] {
  const query = parseQuery(input.q);
  const keepSpamTrash =
    input.includeSpamTrash ||
    queryReachesSpamOrTrash(query) ||
    input.labelIds.some((id) => id === 'SPAM' || id === 'TRASH');
  const context: QueryContext = {
    now: clock.now,
    timeZone: clock.timeZone,
    owner: mailbox.email,
    userLabels: [...mailbox.userLabels.values()],
  };
  const result: StoredMessage[] = [];
  for (const message of mailbox.messages.values()) {
    if (!keepSpamTrash && inSpamOrTrash(message)) continue;
    if (!input.labelIds.every((id) => message.labelIds.includes(id))) continue;
    if (!evaluateQuery(query, message, context)) continue;
    result.push(message);
  }
  return result.sort(newestFirst);
}

/** The messages of a thread, oldest first. */
export function threadMessages(mailbox: Mailbox, threadId: string): StoredMessage[] {
  const ids = mailbox.threads.get(threadId) ?? [];
  return ids
    .map((id) => mailbox.messages.get(id))
    .filter((message): message is StoredMessage => message !== undefined)
    .sort((a, b) => -newestFirst(a, b));
}

/** Threads holding at least one matching message, by their latest matching message. */
export function searchThreads(
  mailbox: Mailbox,
  input: SearchInput,
  clock: SearchClock,
): { threadId: string; latest: StoredMessage }[] {
  const seen = new Set<string>();
  const threads: { threadId: string; latest: StoredMessage }[] = [];
  for (const message of searchMessages(mailbox, input, clock)) {
    if (seen.has(message.threadId)) continue;
    seen.add(message.threadId);
    threads.push({ threadId: message.threadId, latest: message });
  }
  return threads;
}
