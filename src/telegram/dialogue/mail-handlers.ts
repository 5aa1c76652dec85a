/**
 * Mail in the chat: `/inbox [query]`, `/unread`, the mail questions of free text, paging
 * through results (page tokens stay server-side) and opening one message.
 */
import { gmailRead, gmailSearch, gmailUnread } from '../../capabilities/index.ts';
import { renderMailPage, renderMessage, renderUnread } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import type { MailPageState, Turn } from './turn.ts';

export const PAGE_SIZE = 5;
const UNREAD_QUERY = 'in:inbox is:unread';

/** Renders one page of results; every page gets its own key so "Back" can find it again. */
export async function mailPage(turn: Turn, state: MailPageState, ownKey?: string): Promise<Reply> {
  const { buttons } = turn;
  const output = await turn.run(gmailSearch, {
    pageSize: PAGE_SIZE,
    ...(state.query ? { query: state.query } : {}),
    ...(state.pageToken ? { pageToken: state.pageToken } : {}),
  });
  const key = ownKey ?? (await buttons.keepPage(state));
  const next = output.nextPageToken
    ? await buttons.keepPage({
        query: state.query,
        label: state.label,
        pageToken: output.nextPageToken,
        first: state.first + output.messages.length,
        back: key,
      })
    : null;
  const open = new Map<string, string>();
  for (const m of output.messages) open.set(m.id, await buttons.pack('o', m.id));
  return renderMailPage(
    output,
    state.label,
    state.first,
    {
      open: (id) => open.get(id) ?? 'o',
      next: next ? await buttons.pack('p', next) : null,
      back: state.back ? await buttons.pack('p', state.back) : null,
    },
    await turn.view(),
  );
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

export async function unreadCommand(turn: Turn): Promise<Reply> {
  const output = await turn.run(gmailUnread, {});
  return renderUnread(output, await turn.buttons.pack('u'));
}

export function unreadList(turn: Turn): Promise<Reply> {
  return searchMail(turn, UNREAD_QUERY, 'unread mail in your inbox');
}

/** A page behind a "More" or "Back" button; null when the key has expired. */
export async function pageByKey(turn: Turn, key: string): Promise<Reply | null> {
  const state = await turn.buttons.page(key);
  return state ? mailPage(turn, state, key) : null;
}

export async function openMessage(turn: Turn, messageId: string): Promise<Reply> {
  const output = await turn.run(gmailRead, { messageId });
  return renderMessage(output, await turn.view());
}
