/**
 * The one place where Tidings error codes become sentences in the chat. The switch is
 * exhaustive (the compiler checks it), and it says which button, if any, goes with the
 * sentence: connecting a first account or reconnecting a broken one.
 */
import type { ErrorCode, ErrorDetails, ReauthReason } from '../../errors.ts';

export interface ErrorSentence {
  /** Plain text: escape it before sending as HTML. */
  text: string;
  button: 'connect' | 'reconnect' | null;
}

/** Why a grant stopped working, as a clause: "access was revoked". */
export function reauthClause(reason: ReauthReason | string | undefined): string {
  switch (reason) {
    case 'revoked':
      return 'access was revoked at Google';
    case 'expired':
      return 'the sign-in expired';
    case 'scope_missing':
      return 'a permission Tidings needs was not granted';
    case 'corrupt':
      return 'the stored sign-in could not be read';
    default:
      return 'Google no longer accepts the sign-in';
  }
}

/** Capability inputs that hold dates: a refusal of one is about the date asked for. */
const DATE_FIELDS = new Set(['day', 'from', 'to', 'at']);

function seconds(details: ErrorDetails): string {
  const wait = details.retryAfterSeconds;
  return wait && wait > 0 ? `in ${Math.ceil(wait)} seconds` : 'in a minute';
}

function needed(details: ErrorDetails): string {
  const scopes = details.scopes ?? [];
  const gmail = scopes.some((s) => s.includes('gmail'));
  const calendar = scopes.some((s) => s.includes('calendar'));
  if (gmail && calendar) return 'Gmail and Calendar';
  if (gmail) return 'Gmail';
  if (calendar) return 'Google Calendar';
  return 'this';
}

export function errorSentence(code: ErrorCode, details: ErrorDetails = {}): ErrorSentence {
  switch (code) {
    case 'not_connected':
      return {
        text: 'You have not connected a Google account yet. Connect one and ask me again.',
        button: 'connect',
      };
    case 'reauth_required':
      return {
        text: `I can't reach your Google account: ${reauthClause(details.reason)}. Reconnect it and ask me again.`,
        button: 'reconnect',
      };
    case 'scope_missing':
      return {
        text: `Your Google connection does not allow access to ${needed(details)}. Reconnect and tick that box on Google's consent page.`,
        button: 'reconnect',
      };
    case 'provider_unavailable':
      return {
        text: `Google is not answering right now. Please try again ${seconds(details)}.`,
        button: null,
      };
    case 'provider_rate_limited':
      return {
        text: `Google asked me to slow down. Please try again ${seconds(details)}.`,
        button: null,
      };
    case 'database_unavailable':
      return {
        text: `I can't reach my database right now. Please try again ${seconds(details)}.`,
        button: null,
      };
    case 'not_found':
      return { text: 'I could not find that. It may have been deleted or moved.', button: null };
    case 'invalid_request':
      return DATE_FIELDS.has(details.field ?? '')
        ? {
            text: 'I cannot look at that date: try a day between 1970 and 2100, and at most two months at a time.',
            button: null,
          }
        : {
            text: 'I could not make sense of that request. /help shows what I understand.',
            button: null,
          };
    case 'unauthorized':
      return { text: 'I am not allowed to do that for you.', button: null };
    case 'forbidden':
      return { text: 'That is not allowed for your account.', button: null };
    case 'not_configured':
      return {
        text: 'This Tidings server is not set up to talk to Google yet. Ask its owner to add the Google OAuth settings.',
        button: null,
      };
    case 'oauth_state_invalid':
      return {
        text: 'That sign-in link is not valid any more. Here is a fresh one.',
        button: 'connect',
      };
    case 'oauth_state_expired':
      return { text: 'That sign-in link has expired. Here is a fresh one.', button: 'connect' };
    case 'oauth_access_denied':
      return {
        text: 'Google sign-in was cancelled, so nothing was connected. You can try again any time.',
        button: 'connect',
      };
    case 'oauth_code_invalid':
      return {
        text: 'Google did not accept the sign-in. Please start again.',
        button: 'connect',
      };
    case 'oauth_no_refresh_token':
      return {
        text: 'Google did not give lasting access. Remove Tidings at myaccount.google.com/permissions, then connect again.',
        button: 'connect',
      };
    case 'oauth_identity_invalid':
      return {
        text: 'Google could not confirm which account signed in (the email must be verified). Please try again.',
        button: 'connect',
      };
    default: {
      const unknown: never = code;
      return { text: `Something went wrong (${String(unknown)}).`, button: null };
    }
  }
}

/** For failures that are not Tidings errors: bugs and network trouble, never shown in detail. */
export const UNEXPECTED_SENTENCE =
  'Something went wrong on my side. Please try again; if it keeps happening, tell the owner of this Tidings server.';
