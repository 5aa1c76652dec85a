/**
 * Mail results as text: `gmail.search`, `gmail.read`, `gmail.unread` and
 * `actions.extract`, one compact line per message or ask, ids kept.
 */
import type {
  actionsExtract,
  CapabilityOutput,
  FullMessage,
  MessageSummary,
} from '../capabilities/index.ts';
import { type Ctx, dateOf, zoneNote } from './text-dates.ts';
import { body, line, type Rendered } from './text-safety.ts';
import { count, list, num, type Rec, rec, str } from './text-values.ts';

type Address = NonNullable<MessageSummary['from']>;

function address(value: unknown): Address | null {
  const r = rec(value);
  const email = str(r?.email);
  return r && email !== null ? { name: str(r.name), email } : null;
}

function addresses(value: unknown): Address[] {
  return Array.isArray(value) ? value.map(address).filter((a) => a !== null) : [];
}

type MailItem = Pick<
  MessageSummary,
  'id' | 'threadId' | 'from' | 'subject' | 'date' | 'snippet' | 'unread'
>;
type Attachment = Pick<FullMessage['attachments'][number], 'filename' | 'mimeType' | 'size'>;
type FullItem = Omit<MailItem, 'snippet'> &
  Pick<FullMessage, 'to' | 'cc' | 'body'> & { attachments: Attachment[] };

function readMail(value: unknown): MailItem | null {
  const r = rec(value);
  const id = str(r?.id);
  if (!r || !id) return null;
  return {
    id,
    threadId: str(r.threadId) ?? id,
    from: address(r.from),
    subject: str(r.subject) ?? '',
    date: str(r.date),
    snippet: str(r.snippet) ?? '',
    unread: r.unread === true,
  };
}

function readFull(value: unknown): FullItem | null {
  const mail = readMail(value);
  const r = rec(value);
  if (!mail || !r) return null;
  const attachments = (Array.isArray(r.attachments) ? r.attachments : []).map(rec).map((a) => ({
    filename: str(a?.filename) ?? '',
    mimeType: str(a?.mimeType) ?? '',
    size: num(a?.size) ?? 0,
  }));
  const { snippet: _, ...rest } = mail;
  return {
    ...rest,
    to: addresses(r.to),
    cc: addresses(r.cc),
    body: str(r.body) ?? '',
    attachments,
  };
}

function person(a: Address | null): string {
  if (!a) return '(unknown sender)';
  const name = line(a.name ?? '', 80);
  const email = line(a.email, 120);
  return name && name !== email ? `${name} <${email}>` : email;
}

function people(list: Address[]): string {
  const shown = list.slice(0, 10).map(person).join(', ');
  return list.length > 10 ? `${shown} and ${list.length - 10} more` : shown;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function ids(m: { id: string; threadId: string }): string {
  return `id=${line(m.id, 130)} thread=${line(m.threadId, 130)}`;
}

export function renderSearch(output: Rec, ctx: Ctx): Rendered | null {
  const messages = list(output.messages, readMail);
  if (!messages) return null;
  const token = str(output.nextPageToken);
  const tail = !token
    ? []
    : /^[\w\-.~+/=]{1,512}$/.test(token)
      ? [`More results: search again with the same query and pageToken=${token}`]
      : ['More results exist, but the page token has an unexpected form.'];
  if (messages.length === 0) {
    return { head: [token ? 'No messages on this page.' : 'No messages match.'], data: [], tail };
  }
  const data = messages.flatMap((m, i) => {
    const mark = m.unread ? ' [unread]' : '';
    const subject = line(m.subject) || '(no subject)';
    const first = `${i + 1}.${mark} ${dateOf(m.date, ctx)} · From: ${person(m.from)} · Subject: ${subject} · ${ids(m)}`;
    const snippet = line(m.snippet, 160);
    return snippet ? [first, `   ${snippet}`] : [first];
  });
  return { head: [`${count(messages.length, 'message')}, newest first.`], data, tail };
}

export function renderRead(output: Rec, ctx: Ctx): Rendered | null {
  const messages = list(output.messages, readFull);
  if (!messages) return null;
  if (messages.length === 0) return { head: ['No message found.'], data: [] };
  const head =
    messages.length === 1
      ? '1 message.'
      : `A conversation of ${messages.length} messages, oldest first.`;
  const data = messages.flatMap((m, i) => {
    const lines = messages.length > 1 ? [`--- message ${i + 1} of ${messages.length} ---`] : [];
    lines.push(`From: ${person(m.from)}`, `To: ${people(m.to) || '(none)'}`);
    if (m.cc.length > 0) lines.push(`Cc: ${people(m.cc)}`);
    lines.push(`Subject: ${line(m.subject) || '(no subject)'}`);
    lines.push(`Date: ${dateOf(m.date, ctx)}${m.unread ? ' [unread]' : ''}`, ids(m));
    if (m.attachments.length > 0) {
      const files = m.attachments.map(
        (a) => `${line(a.filename, 120) || '(unnamed)'} (${line(a.mimeType, 80)}, ${size(a.size)})`,
      );
      lines.push(`Attachments: ${files.join('; ')}`);
    }
    lines.push('', body(m.body) || '(no text body)');
    return i < messages.length - 1 ? [...lines, ''] : lines;
  });
  return { head: [head], data };
}

export function renderUnread(output: Rec): Rendered | null {
  const inbox = rec(output.inbox);
  const messages = num(inbox?.unreadMessages);
  const threads = num(inbox?.unreadThreads);
  const labels = list(output.labels, (v) => {
    const r = rec(v);
    const unread = num(r?.unread);
    return r && unread !== null ? { name: str(r.name) ?? str(r.id) ?? '', unread } : null;
  });
  if (messages === null || threads === null || !labels) return null;
  const head = [
    `Inbox: ${count(messages, 'unread message')} in ${count(threads, 'conversation')}.`,
    labels.length === 0 ? 'No label or category has unread mail.' : 'Unread mail by label:',
  ];
  return { head, data: labels.map((l) => `${line(l.name, 120) || '(unnamed)'}: ${l.unread}`) };
}

type ActionItem = Pick<
  CapabilityOutput<typeof actionsExtract>['actions'][number],
  'messageId' | 'from' | 'subject' | 'ask' | 'due' | 'dueText'
>;

function readAction(value: unknown): ActionItem | null {
  const r = rec(value);
  const ask = str(r?.ask);
  if (!r || ask === null) return null;
  return {
    messageId: str(r.messageId) ?? '',
    from: address(r.from),
    subject: str(r.subject) ?? '',
    ask,
    due: str(r.due),
    dueText: str(r.dueText),
  };
}

export function renderActions(output: Rec, ctx: Ctx): Rendered | null {
  const actions = list(output.actions, readAction);
  if (!actions) return null;
  if (actions.length === 0) return { head: ['No action items found in recent mail.'], data: [] };
  const head = `${count(actions.length, 'action item')} from recent mail, soonest deadline first${zoneNote(output)}.`;
  const data = actions.map((a, i) => {
    const parts = [`${i + 1}. ${person(a.from)} asks: "${line(a.ask, 300)}"`];
    const dueText = a.dueText ? line(a.dueText, 60) : '';
    if (a.due) parts.push(`due ${dateOf(a.due, ctx)}${dueText ? ` (${dueText})` : ''}`);
    else if (dueText) parts.push(`due ${dueText}`);
    if (a.subject) parts.push(`re: ${line(a.subject)}`);
    parts.push(`id=${line(a.messageId, 130)}`);
    return parts.join(' · ');
  });
  return { head: [head], data };
}
