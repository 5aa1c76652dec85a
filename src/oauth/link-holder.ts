/**
 * Who may open a connect link: the Tidings account it joins must still exist, and a link
 * issued in the Telegram chat opens only with Telegram's signed login data for the user it
 * was issued to, pressed at most a ticket's lifetime ago. Links made by the API, MCP or the
 * admin CLI carry no such binding; their pages still name the account.
 */
import type { Failed, Step } from './callback-steps.ts';
import { TICKET_TTL_MS, type TicketTarget } from './one-time-tokens.ts';
import type { AccountLabel } from './result-pages.ts';
import type { ConnectRouteDeps } from './route-deps.ts';
import { checkTelegramLogin, type LoginProblem } from './telegram-login.ts';

/** A link its holder may follow: whose account it joins, and the login data to carry on. */
export interface OpenedLink {
  account: AccountLabel;
  /** Telegram's signed fields, for a chat-issued link; null otherwise. */
  login: Record<string, string> | null;
}

const REFUSALS: Record<LoginProblem, Failed> = {
  missing: {
    ok: false,
    failure: 'forbidden',
    hint: 'This link opens only with its button in the Telegram chat it was sent to.',
  },
  invalid: {
    ok: false,
    failure: 'forbidden',
    hint: 'Telegram’s sign-in data on this link is missing parts or does not verify.',
  },
  other_user: {
    ok: false,
    failure: 'forbidden',
    hint: 'This link was made for another Telegram account: its message was probably forwarded to you.',
  },
  stale: {
    ok: false,
    failure: 'oauth_state_expired',
    hint: `The button was pressed more than ${TICKET_TTL_MS / 60_000} minutes ago.`,
  },
};

/** Checks the holder of a ticket (`source`: the query or form it came with). */
export async function openLink(
  deps: Pick<ConnectRouteDeps, 'users' | 'telegramBotToken' | 'now' | 'logger'>,
  target: TicketTarget,
  source: Record<string, unknown>,
): Promise<Step<OpenedLink>> {
  const user = await deps.users.get(target.userId);
  if (!user) {
    return { ok: false, failure: 'oauth_state_invalid', hint: 'This account no longer exists.' };
  }
  const account = { displayName: user.displayName, telegramUserId: user.telegramUserId };
  if (!target.telegramUserId) return { ok: true, value: { account, login: null } };
  const checked = checkTelegramLogin({
    botToken: deps.telegramBotToken,
    source,
    expectedUserId: target.telegramUserId,
    now: deps.now(),
    maxAgeMs: TICKET_TTL_MS,
  });
  if (!checked.ok) {
    deps.logger.warn({ problem: checked.problem }, 'a chat-issued connect link was refused');
    return REFUSALS[checked.problem];
  }
  return { ok: true, value: { account, login: checked.login.fields } };
}
