/**
 * The in-memory Gmail store: one mailbox per user email holding imported messages (parsed
 * once), threads, user labels and the history log. Read-only from the API's side; the
 * sandbox core and the seed loader write to it through `importMessage` and `defineLabel`,
 * and the control API changes a message's labels (`modifyLabels`, as Gmail's
 * `messages.modify` would: one history record, the message's history id moved on).
 */
import { headerValue, type MimeHeader } from './mime-headers.ts';
import { type MimePart, parseMime } from './mime-parser.ts';
import { isSystemLabelId, type UserLabel } from './labels.ts';
import { parseMailDate } from './mail-date.ts';
import { snippetOf } from './message-text.ts';
import { buildSearchDocument, type SearchDocument } from './search-document.ts';
import { assignThread, createThreadIndex, type ThreadIndex } from './threading.ts';

export interface StoredMessage {
  id: string;
  threadId: string;
  raw: Buffer;
  labelIds: string[];
  /** Epoch milliseconds. */
  internalDate: number;
  historyId: number;
  root: MimePart;
  snippet: string;
  search: SearchDocument;
}

export interface HistoryRecord {
  id: number;
  message: StoredMessage;
  /** Labels this record added (a label change; absent: the message arrived). */
  labelsAdded?: string[];
  /** Labels this record removed (a label change). */
  labelsRemoved?: string[];
}

export interface Mailbox {
  email: string;
  messages: Map<string, StoredMessage>;
  /** Thread id → message ids in import order. */
  threads: Map<string, string[]>;
  userLabels: Map<string, UserLabel>;
  history: HistoryRecord[];
  /** The mailbox's current history id. */
  historyId: number;
  /** History ids below this are gone: `history.list` answers 404 for them. */
  historyFloor: number;
  threadIndex: ThreadIndex;
}

export interface GmailStore {
  /**
   * Empties every mailbox. History ids keep growing across resets, so a `startHistoryId`
   * from before one is older than every mailbox and `history.list` answers 404.
   */
  reset(): void;
  /**
   * Stores a raw RFC 822 message with the given label ids, or without them with the labels
   * Gmail gives it (`arrivalLabels`); threads it.
   */
  importMessage(email: string, raw: Buffer, labelIds?: string[]): { id: string; threadId: string };
  /**
   * Adds and removes labels of a message, as `messages.modify` does; the labels it has
   * after, or undefined when the mailbox has no such message.
   */
  modifyLabels(
    email: string,
    id: string,
    add: readonly string[],
    remove: readonly string[],
  ): { id: string; labelIds: string[] } | undefined;
  /** Creates or renames a user label (`Label_N`). */
  defineLabel(email: string, label: UserLabel): void;
  /** The mailbox of that user, or undefined when nothing was ever stored for them. */
  mailbox(email: string): Mailbox | undefined;
  /** The mailbox of that user, or an empty one (not stored) at the current history id. */
  view(email: string): Mailbox;
  /**
   * Forgets the mailbox's history so far, as Gmail does after a while: a `startHistoryId`
   * below the current one then answers 404. Returns the current history id.
   */
  expireHistory(email: string): { historyId: number };
}

export interface GmailStoreOptions {
  /** Clock for messages without a usable `Date:` header. */
  now?: () => Date;
  /** History records kept per mailbox before the oldest are dropped. */
  historyLimit?: number;
}

const FIRST_HISTORY_ID = 1_000_000;

function addresses(headers: readonly MimeHeader[], names: readonly string[]): string[] {
  const text = names.map((name) => headerValue(headers, name) ?? '').join(',');
  return (text.match(/[^\s<>,;:"()]+@[^\s<>,;:"()]+/g) ?? []).map((a) => a.toLowerCase());
}

/**
 * The labels Gmail gives a message with none asked for: mail from someone else arrives
 * in the inbox unread; mail the owner sent is `SENT` only (and also in the inbox, read,
 * when the owner sent it to themselves).
 */
export function arrivalLabels(headers: readonly MimeHeader[], owner: string): string[] {
  const self = owner.toLowerCase();
  if (!addresses(headers, ['from']).includes(self)) return ['INBOX', 'UNREAD'];
  return addresses(headers, ['to', 'cc', 'bcc']).includes(self) ? ['SENT', 'INBOX'] : ['SENT'];
}

export function newMailbox(email: string, historyId = FIRST_HISTORY_ID): Mailbox {
  return {
    email,
    messages: new Map(),
    threads: new Map(),
    userLabels: new Map(),
    history: [],
    historyId,
    historyFloor: historyId,
    threadIndex: createThreadIndex(),
  };
}

export function createGmailStore(options: GmailStoreOptions = {}): GmailStore {
  const now = options.now ?? (() => new Date());
  const historyLimit = options.historyLimit ?? 1000;
  const mailboxes = new Map<string, Mailbox>();
  let counter = 0;
  /** Where new mailboxes start: past every history id handed out before the last reset. */
  let historyBase = FIRST_HISTORY_ID;

  const ensure = (email: string): Mailbox => {
    const key = email.toLowerCase();
    let mailbox = mailboxes.get(key);
    if (!mailbox) {
      mailbox = newMailbox(key, historyBase);
      mailboxes.set(key, mailbox);
    }
    return mailbox;
  };

  const newId = (internalDate: number): string => {
    counter = (counter + 1) % 0x100000;
    const time = Math.max(0, internalDate).toString(16).padStart(11, '0').slice(-11);
    return `${time}${counter.toString(16).padStart(5, '0')}`;
  };

  const record = (mailbox: Mailbox, entry: HistoryRecord) => {
    mailbox.history.push(entry);
    if (mailbox.history.length > historyLimit) {
      const dropped = mailbox.history.splice(0, mailbox.history.length - historyLimit);
      mailbox.historyFloor = dropped[dropped.length - 1]!.id;
    }
  };

  return {
    reset() {
      for (const mailbox of mailboxes.values()) {
        historyBase = Math.max(historyBase, mailbox.historyId);
      }
      historyBase += 1;
      mailboxes.clear();
      counter = 0;
    },
    mailbox(email) {
      return mailboxes.get(email.toLowerCase());
    },
    view(email) {
      return mailboxes.get(email.toLowerCase()) ?? newMailbox(email.toLowerCase(), historyBase);
    },
    expireHistory(email) {
      const mailbox = ensure(email);
      mailbox.history = [];
      mailbox.historyFloor = mailbox.historyId;
      return { historyId: mailbox.historyId };
    },
    defineLabel(email, label) {
      ensure(email).userLabels.set(label.id, { ...label });
    },
    importMessage(email, raw, labelIds) {
      const mailbox = ensure(email);
      const root = parseMime(raw);
      const internalDate =
        parseMailDate(headerValue(root.headers, 'date'))?.epochMs ?? now().getTime();
      const id = newId(internalDate);
      const threadId = assignThread(mailbox.threadIndex, root.headers, mailbox.email, id);
      const asked = labelIds ?? arrivalLabels(root.headers, mailbox.email);
      const labels = [...new Set(asked.map((label) => label.trim()).filter(Boolean))];
      for (const label of labels) {
        if (!isSystemLabelId(label) && !mailbox.userLabels.has(label)) {
          mailbox.userLabels.set(label, { id: label, name: label });
        }
      }
      mailbox.historyId += 1;
      const message: StoredMessage = {
        id,
        threadId,
        raw,
        labelIds: labels,
        internalDate,
        historyId: mailbox.historyId,
        root,
        snippet: snippetOf(root),
        search: buildSearchDocument(root),
      };
      mailbox.messages.set(id, message);
      mailbox.threads.set(threadId, [...(mailbox.threads.get(threadId) ?? []), id]);
      record(mailbox, { id: mailbox.historyId, message });
      return { id, threadId };
    },
    modifyLabels(email, id, add, remove) {
      const mailbox = mailboxes.get(email.toLowerCase());
      const message = mailbox?.messages.get(id);
      if (!mailbox || !message) return undefined;
      const added = [...new Set(add)].filter((label) => !message.labelIds.includes(label));
      const removed = [...new Set(remove)].filter(
        (label) => message.labelIds.includes(label) && !added.includes(label),
      );
      if (added.length === 0 && removed.length === 0)
        return { id, labelIds: [...message.labelIds] };
      for (const label of added) {
        if (!isSystemLabelId(label) && !mailbox.userLabels.has(label)) {
          mailbox.userLabels.set(label, { id: label, name: label });
        }
      }
      message.labelIds = [...message.labelIds.filter((l) => !removed.includes(l)), ...added];
      mailbox.historyId += 1;
      message.historyId = mailbox.historyId;
      record(mailbox, {
        id: mailbox.historyId,
        message,
        ...(added.length > 0 ? { labelsAdded: added } : {}),
        ...(removed.length > 0 ? { labelsRemoved: removed } : {}),
      });
      return { id, labelIds: [...message.labelIds] };
    },
  };
}
