/**
 * A failed tool call as text: the stable code and detail, then what the model or the user
 * must do about that code.
 */
import { line } from './text-safety.ts';
import { num, type Rec, rec, str } from './text-values.ts';

export interface ToolProblem {
  code: string;
  detail: string;
  reason?: string;
  field?: string;
  retryAfterSeconds?: number;
  [k: string]: unknown;
}

const REAUTH_REASONS: Readonly<Record<string, string>> = {
  revoked: 'access was revoked at Google',
  expired: 'the sign-in expired',
  scope_missing: 'a permission Tidings needs was not granted',
  corrupt: 'the stored sign-in could not be read',
};

type Hints = { connectLinkTool: string; connectionsTool: string };

/** A failed tool call: `Error <code>: <detail>`, then what the model or user must do. */
export function errorText(problem: ToolProblem, hints: Hints): string {
  const p = rec(problem) ?? {};
  const code = (str(p.code) ?? '').replace(/[^\w.-]/g, '').slice(0, 64) || 'error';
  const detail = line(str(p.detail) ?? '', 500);
  const first = detail ? `Error ${code}: ${detail}` : `Error ${code}.`;
  const advice = adviceFor(code, detail, p, hints);
  return advice ? `${first}\n${advice}` : first;
}

/** What to do about an error code; null for a code without advice. */
function adviceFor(code: string, detail: string, p: Rec, hints: Hints): string | null {
  const link = `\`${line(hints.connectLinkTool, 64)}\``;
  const seconds = num(p.retryAfterSeconds) ?? num(p.retry_after);
  const wait = seconds !== null && seconds > 0 ? `${Math.ceil(seconds)} seconds` : null;
  const selector = str(p.connection) ?? str(p.connectionId);
  const which = selector && /^[\w@.+-]{1,320}$/.test(selector) ? ` "${selector}"` : '';
  const reconnect = `call ${link} with the connection${which} and give the user the link to open in their browser`;
  const field = line(str(p.field) ?? '', 80);
  switch (code) {
    case 'not_connected':
      return `No Google account is connected: call ${link} and give the user the link to open in their browser, then try again.`;
    case 'reauth_required': {
      const reason = str(p.reason);
      const why = reason ? ` (${REAUTH_REASONS[reason] ?? line(reason, 60)})` : '';
      return `The Google connection must be reconnected${why}: ${reconnect}, then try again.`;
    }
    case 'scope_missing': {
      const scopes = Array.isArray(p.scopes) ? p.scopes.map(str).join(' ') : '';
      const needed = [
        /gmail/.test(scopes) ? 'Gmail' : '',
        /calendar/.test(scopes) ? 'Calendar' : '',
      ]
        .filter(Boolean)
        .join(' and ');
      return `The user must reconnect and tick the missing permission${needed ? ` (${needed})` : ''} on Google's consent page: ${reconnect}.`;
    }
    case 'invalid_request':
      return field
        ? `The input field "${field}" is not valid; correct it and call again.`
        : 'The input is not valid; correct it and call again.';
    case 'provider_rate_limited':
    case 'rate_limited': {
      const to = code === 'rate_limited' ? 'Tidings' : 'Google';
      return `Too many requests to ${to}: ${wait ? `retry after ${wait}` : 'wait a minute before retrying'}.`;
    }
    case 'provider_unavailable':
      return `Google is unavailable right now; try again later${wait ? ` (after ${wait})` : ''}.`;
    case 'database_unavailable':
      return `The Tidings server's database is unavailable for a moment; ${wait ? `retry after ${wait}` : 'retry in a few seconds'}.`;
    case 'not_found':
      return field === 'connection' || /\bconnection\b/i.test(detail)
        ? `No connection matches that id or email: call \`${line(hints.connectionsTool, 64)}\` to list the user's Google accounts and use an id or email from it.`
        : 'That id does not exist (the message may have been deleted): use ids from a mail search result.';
    case 'unauthorized':
      return 'The Tidings API key is missing, unknown or revoked; retrying will not help. The operator must issue a new API key and configure it.';
    case 'forbidden':
      return 'Google or Tidings refused this request (for example by an administrator policy); retrying will not help. Tell the user.';
    case 'not_configured': {
      const settings = Array.isArray(p.settings)
        ? p.settings.map(str).filter((s) => s !== null && /^\w{1,64}$/.test(s))
        : [];
      const missing = settings.length > 0 ? ` (missing: ${settings.join(', ')})` : '';
      return `The Tidings plugin or server is not configured${missing}; the operator must configure it. Retrying will not help.`;
    }
    default:
      return null;
  }
}
