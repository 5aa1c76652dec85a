/**
 * Mail in the chat: `/inbox [query]`, `/unread` (the newest unread mail first, then the
 * totals), the mail questions of free text, paging through results (page tokens stay
 * server-side) and opening one message. Each page shown becomes the chat's last list, and
 * the sender of a message opened (or of a list asked for by sender) its last person.
 */
import { gmailRead, gmailSearch, gmailUnread } from '../../capabilities/index.ts';
import { renderMailPage, renderMessage, renderUnreadPage } from '../render/index.ts';
import type { MailPageButtons, Reply } from '../render/index.ts';
import type { Person } from '../store/index.ts';
import type { MailPageState, Turn } from './turn.ts';

export const PAGE_SIZE = 5;
const UNREAD_QUERY = 'in:inbox is:unread';
const UNREAD_LABEL = 'unread mail in your inbox';

type SearchOutput = Awaited<ReturnType<typeof searchPage>>;
type Sender = SearchOutput['messages'][number]['from'];

function searchPage(turn: Turn, state: MailPageState) {
  return turn.run(gmailSearch, {
    pageSize: PAGE_SIZE,
    ...(state.query ? { query: state.query } : {}),
    ...(state.pageToken ? { pageToken: state.pageToken } : {}),
  });
}

function personOf(from: Sender): Person | null {
  return from ? { email: from.email.slice(0, 320), name: from.name?.slice(0, 200) ?? null } : null;
}

/** The sender a `from:` query asked for, as the messages found name them. */
function senderAsked(query: string, output: SearchOutput): Person | null {
  const asked = /(?:^|\s)from:(\S+)/.exec(query)?.[1]?.toLowerCase();
  if (!asked || asked === 'me') return null;
  const match = output.messages.find(
    (m) =>
      m.from &&
      (m.from.email.toLowerCase().includes(asked) ||
        (m.from.name ?? '').toLowerCase().includes(asked)),
  );
  return match ? personOf(match.from) : null;
}

/** Fetches one page and keeps the keys its buttons need; every page gets its own key. */
async function loadPage(
  turn: Turn,
  state: MailPageState,
  ownKey?: string,
): Promise<{ output: SearchOutput; buttons: MailPageButtons }> {
  const { buttons } = turn;
  const output = await searchPage(turn, state);
  const key = ownKey ?? (await buttons.keepPage(state));
  const nextKey = output.nextPageToken
    ? await buttons.keepPage({
        query: state.query,
        label: state.label,
        pageToken: output.nextPageToken,
        first: state.first + output.messages.length,
        back: key,
        ...(state.unread ? { unread: true } : {}),
      })
    : null;
  const open = new Map<string, string>();
  for (const m of output.messages) open.set(m.id, await buttons.pack('o', m.id));
  turn.notes.mail = {
    kind: 'mail',
    query: state.query,
    label: state.label,
    first: state.first,
    messageIds: output.messages.map((m) => m.id),
    nextPage: nextKey,
    unread: state.unread === true,
  };
  turn.notes.mailQuery = { query: state.query, label: state.label };
  const person = senderAsked(state.query, output);
  if (person) turn.notes.person = person;
  return {
    output,
    buttons: {
      open: (id) => open.get(id) ?? 'o',
      next: nextKey ? await buttons.pack('p', nextKey) : null,
      back: state.back ? await buttons.pack('p', state.back) : null,
    },
  };
}

/** Renders one page of results (of the unread list, without its totals). */
export async function mailPage(turn: Turn, state: MailPageState, ownKey?: string): Promise<Reply> {
  const { output, buttons } = await loadPage(turn, state, ownKey);
  const view = await turn.view();
  return state.unread
    ? renderUnreadPage(output, state.first, buttons, view, null)
    : renderMailPage(output, state.label, state.first, buttons, view);
}

export function searchMail(turn: Turn, query: string, label: string): Promise<Reply> {
  return mailPage(turn, { query, label, pageToken: null, first: 1, back: null });
}

/** `/inbox [query]`: the query is Gmail syntax, passed as typed. */
export function inboxCommand(turn: Turn, arg: string): Promise<Reply> {
  const query = arg.trim();
  return query
    ? searchMail(turn, query, `mail matching “${query}”`)
    : searchMail(turn, 'in:inbox', 'your inbox');
}

/** `/unread`: the newest unread inbox mail, numbered, then the totals (asked for at once). */
export async function unreadCommand(turn: Turn): Promise<Reply> {
  const state: MailPageState = {
    query: UNREAD_QUERY,
    label: UNREAD_LABEL,
    pageToken: null,
    first: 1,
    back: null,
    unread: true,
  };
  const [page, counts] = await Promise.all([loadPage(turn, state), turn.run(gmailUnread, {})]);
  return renderUnreadPage(page.output, 1, page.buttons, await turn.view(), counts);
}

/** A page behind a "More" or "Back" button; null when the key has expired. */
export async function pageByKey(turn: Turn, key: string): Promise<Reply | null> {
  const state = await turn.buttons.page(key);
  return state ? mailPage(turn, state, key) : null;
}

/** One message read in full; `position`: its number in the list it was picked from. */
export async function openMessage(
  turn: Turn,
  messageId: string,
  position?: number,
): Promise<Reply> {
  const output = await turn.run(gmailRead, { messageId });
  const message = output.messages.find((m) => m.id === messageId) ?? output.messages.at(-1);
  const person = message ? personOf(message.from) : null;
  if (person) turn.notes.person = person;
  const which = position === undefined ? 'a message' : `message ${position} of the list`;
  turn.notes.said = `Opened ${which}${person ? `, from ${person.name?.trim() || person.email}` : ''}.`;
  return renderMessage(output, await turn.view());
}
