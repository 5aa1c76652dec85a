/**
 * The pages a person sees while connecting: the "continue to Google" step, one clean,
 * accessible page for success and one per failure, each with a stable error code and
 * what to do next. The continue and success pages name the Tidings account the Google
 * account joins, and warn that only its owner should go on.
 */
import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../errors.ts';
import { escapeHtml } from '../common/index.ts';
import { TICKET_TTL_MS } from './one-time-tokens.ts';

/** The Tidings account a Google account joins, as the users table knows it. */
export interface AccountLabel {
  displayName: string;
  telegramUserId: string | null;
}

const LINK_MINUTES = TICKET_TTL_MS / 60_000;
const WARNING_STYLE =
  'background:#fff8c5;border:1px solid #d4a72c;border-radius:8px;padding:.75rem 1rem';

function accountHtml(account: AccountLabel): string {
  const telegram = account.telegramUserId
    ? ` <span class="muted">(Telegram user ${escapeHtml(account.telegramUserId)})</span>`
    : '';
  return `<strong>${escapeHtml(account.displayName)}</strong>${telegram}`;
}

function page(title: string, body: string, tone: 'ok' | 'warn' | 'error'): string {
  const accent = tone === 'ok' ? '#1a7f37' : tone === 'warn' ? '#9a6700' : '#cf222e';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Tidings</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f8fa;color:#1f2328}
main{max-width:34rem;margin:12vh auto;background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:2rem;border-top:6px solid ${accent}}
h1{font-size:1.4rem;margin:0 0 1rem}code{background:#eff1f3;padding:.1rem .35rem;border-radius:4px}
ul{padding-left:1.2rem}.muted{color:#59636e;font-size:.9rem}
</style></head><body><main role="main">${body}</main></body></html>`;
}

/**
 * The page a connect link opens: whose Tidings account the Google account will join, a
 * warning, and one button that posts the ticket (with Telegram's login data, for a
 * chat-issued link). The ticket is used up only by that post, so a link preview or a mail
 * scanner fetching the link burns nothing.
 */
export function continuePage(details: {
  action: string;
  ticket: string;
  account: AccountLabel;
  login: Record<string, string> | null;
}): string {
  const login = Object.entries(details.login ?? {})
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
  return page(
    'Connect Google',
    `<h1>Connect your Google account</h1>
<p>The Google account you pick will join this Tidings account:</p>
<p style="font-size:1.15rem">${accountHtml(details.account)}</p>
<p role="alert" style="${WARNING_STYLE}"><strong>Only continue if this is you.</strong> Whoever uses this Tidings account will read the mail and calendar of the Google account you pick. If someone sent you this link, close this page.</p>
<p>Tidings will ask Google for read-only access to your Gmail and Google Calendar. You choose the account and what to share on Google's page.</p>
<form method="post" action="${escapeHtml(details.action)}">
<input type="hidden" name="ticket" value="${escapeHtml(details.ticket)}">
${login}
<button type="submit" style="font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:1px solid #1a7f37;background:#1a7f37;color:#fff;cursor:pointer">Continue to Google</button>
</form>
<p class="muted">This link works once, for ${LINK_MINUTES} minutes.</p>`,
    'ok',
  );
}

export interface SuccessDetails {
  email: string;
  capabilities: Array<'gmail' | 'calendar'>;
  reconnected: boolean;
  account: AccountLabel;
}

export function successPage(details: SuccessDetails): string {
  const has = (name: 'gmail' | 'calendar') => details.capabilities.includes(name);
  const missing = (['gmail', 'calendar'] as const).filter((name) => !has(name));
  const label = { gmail: 'Gmail (read only)', calendar: 'Google Calendar (read only)' };
  const items = (['gmail', 'calendar'] as const)
    .map(
      (name) =>
        `<li>${has(name) ? '✅' : '⚠️'} ${label[name]}${has(name) ? '' : ' — not granted'}</li>`,
    )
    .join('');
  const warning =
    missing.length > 0
      ? `<p role="note">You did not tick ${missing.map((m) => label[m]).join(' and ')}. Tidings works without it, but cannot answer questions about it. To add it, send <code>/connect</code> again and leave the box ticked.</p>`
      : '';
  return page(
    'Connected',
    `<h1>${details.reconnected ? 'Reconnected' : 'Connected'} ${escapeHtml(details.email)}</h1>
<p>It is part of this Tidings account now:</p>
<p style="font-size:1.15rem">${accountHtml(details.account)}</p>
<p>Tidings can now read:</p><ul>${items}</ul>${warning}
<p role="alert" style="${WARNING_STYLE}"><strong>Not you?</strong> If this is not your Tidings account, someone else can now read this Google account: remove Tidings under Third-party apps at myaccount.google.com/permissions right away.</p>
<p>You can close this page and go back to the chat.</p>
<p class="muted">Tokens are stored encrypted. Disconnect any time with <code>/disconnect ${escapeHtml(details.email)}</code>.</p>`,
    missing.length > 0 ? 'warn' : 'ok',
  );
}

interface FailureText {
  title: string;
  explain: string;
  next: string;
  status: number;
}

export type ConnectFailure = Extract<
  ErrorCode,
  | 'oauth_state_invalid'
  | 'oauth_state_expired'
  | 'oauth_access_denied'
  | 'oauth_code_invalid'
  | 'oauth_no_refresh_token'
  | 'oauth_identity_invalid'
  | 'provider_unavailable'
  | 'not_configured'
  | 'forbidden'
>;

export function failureText(code: ConnectFailure, hint?: string): FailureText {
  switch (code) {
    case 'oauth_state_invalid':
      return {
        title: 'This sign-in link is not valid here',
        explain:
          hint ??
          'The link was already used, was opened in another browser, or was changed on the way.',
        next: 'Ask the bot for a fresh link with /connect and open it in this browser.',
        status: 400,
      };
    case 'oauth_state_expired':
      return {
        title: 'This sign-in link has expired',
        explain:
          hint ?? `Sign-in links work for ${LINK_MINUTES} minutes only, to keep your account safe.`,
        next: 'Ask the bot for a fresh link with /connect.',
        status: 400,
      };
    case 'oauth_access_denied':
      return {
        title: 'Access was not granted',
        explain: hint ?? 'You cancelled on Google’s page, so Tidings received no access.',
        next: 'Nothing was stored. If that was a mistake, send /connect again.',
        status: 400,
      };
    case 'oauth_code_invalid':
      return {
        title: 'Google rejected the sign-in',
        explain:
          'The one-time code from Google was already used or has expired (for example after pressing Back).',
        next: 'Send /connect again to start over.',
        status: 400,
      };
    case 'oauth_no_refresh_token':
      return {
        title: 'Google did not grant offline access',
        explain: 'Without it Tidings could only read your account for an hour.',
        next: 'Open your Google Account → Security → Third-party access, remove Tidings, then send /connect again.',
        status: 400,
      };
    case 'oauth_identity_invalid':
      return {
        title: 'Your Google identity could not be verified',
        explain:
          hint ??
          'Google’s answer did not prove which account signed in, or the email address is not verified.',
        next: 'Verify your email address with Google, then send /connect again.',
        status: 400,
      };
    case 'provider_unavailable':
      return {
        title: 'Google is not answering',
        explain: 'Google’s sign-in service could not be reached just now. Nothing was stored.',
        next: 'Try again in a minute with /connect.',
        status: 502,
      };
    case 'not_configured':
      return {
        title: 'Google sign-in is not set up yet',
        explain: 'This Tidings server has no Google OAuth client configured.',
        next: 'The administrator needs to set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see the README), then restart.',
        status: 503,
      };
    case 'forbidden':
      return {
        title: 'This link is not for this Telegram account',
        explain: hint ?? 'This connect link was made for someone else.',
        next: 'Never connect your Google account through a link someone else sent you. To connect your own, send /connect to the bot and press the button it answers with.',
        status: 403,
      };
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

export function failurePage(code: ConnectFailure, hint?: string): { status: number; html: string } {
  const text = failureText(code, hint);
  return {
    status: text.status,
    html: page(
      text.title,
      `<h1>${escapeHtml(text.title)}</h1><p>${escapeHtml(text.explain)}</p><p><strong>What to do:</strong> ${escapeHtml(text.next)}</p>
<p class="muted">Error code: <code>${code}</code></p>`,
      'error',
    ),
  };
}

/** Answers with the failure page for `code`. */
export function sendFailure(reply: FastifyReply, code: ConnectFailure, hint?: string) {
  const { status, html } = failurePage(code, hint);
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}
