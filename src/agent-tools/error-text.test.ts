import { describe, expect, it } from 'vitest';
import { errorText, type ToolProblem } from './error-text.ts';

describe('errorText', () => {
  const hints = { connectLinkTool: 'tidings_connect_link', connectionsTool: 'tidings_connections' };
  const advice = (problem: ToolProblem) => errorText(problem, hints).split('\n');

  it('not_connected: call the connect-link tool', () => {
    expect(
      advice({ code: 'not_connected', detail: 'No Google account is connected yet.' }),
    ).toStrictEqual([
      'Error not_connected: No Google account is connected yet.',
      'No Google account is connected: call `tidings_connect_link` and give the user the link to open in their browser, then try again.',
    ]);
  });

  it('reauth_required: reconnect that connection, with the reason', () => {
    expect(
      advice({
        code: 'reauth_required',
        detail: 'Google no longer accepts this connection',
        reason: 'expired',
        connection: 'c0ffee00-0000-4000-8000-000000000002',
      }),
    ).toStrictEqual([
      'Error reauth_required: Google no longer accepts this connection',
      'The Google connection must be reconnected (the sign-in expired): call `tidings_connect_link` with the connection "c0ffee00-0000-4000-8000-000000000002" and give the user the link to open in their browser, then try again.',
    ]);
  });

  it('scope_missing: reconnect and tick the missing permission', () => {
    expect(
      advice({
        code: 'scope_missing',
        detail: 'calendar.agenda needs access to Google Calendar',
        scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
      }),
    ).toStrictEqual([
      'Error scope_missing: calendar.agenda needs access to Google Calendar',
      "The user must reconnect and tick the missing permission (Calendar) on Google's consent page: call `tidings_connect_link` with the connection and give the user the link to open in their browser.",
    ]);
  });

  it('invalid_request: names the field', () => {
    expect(
      advice({ code: 'invalid_request', detail: 'pageSize: Too big', field: 'pageSize' })[1],
    ).toBe('The input field "pageSize" is not valid; correct it and call again.');
  });

  it('rate limits: retry after the given seconds', () => {
    expect(
      advice({ code: 'provider_rate_limited', detail: 'Slow down', retryAfterSeconds: 30 })[1],
    ).toBe('Too many requests to Google: retry after 30 seconds.');
    expect(advice({ code: 'rate_limited', detail: 'Slow down', retry_after: 12 })[1]).toBe(
      'Too many requests to Tidings: retry after 12 seconds.',
    );
  });

  it('rate limits without a wait: wait a minute', () => {
    expect(advice({ code: 'provider_rate_limited', detail: 'Slow down' })[1]).toBe(
      'Too many requests to Google: wait a minute before retrying.',
    );
  });

  it('provider_unavailable: try later', () => {
    expect(advice({ code: 'provider_unavailable', detail: 'Google answered 503' })[1]).toBe(
      'Google is unavailable right now; try again later.',
    );
  });

  it('not_found: use ids from a search, or list connections for an unknown selector', () => {
    expect(advice({ code: 'not_found', detail: 'Requested entity was not found.' })[1]).toBe(
      'That id does not exist (the message may have been deleted): use ids from a mail search result.',
    );
    expect(
      advice({
        code: 'not_found',
        detail: 'No connection of yours matches that id or email.',
        field: 'connection',
      })[1],
    ).toBe(
      "No connection matches that id or email: call `tidings_connections` to list the user's Google accounts and use an id or email from it.",
    );
  });

  it('unauthorized: the operator must issue a new API key', () => {
    expect(
      advice({ code: 'unauthorized', detail: 'The API key is unknown or has been revoked.' })[1],
    ).toBe(
      'The Tidings API key is missing, unknown or revoked; retrying will not help. The operator must issue a new API key and configure it.',
    );
  });

  it('forbidden and not_configured: retrying will not help', () => {
    expect(advice({ code: 'forbidden', detail: 'Google answered 403' })[1]).toContain(
      'retrying will not help',
    );
    expect(
      advice({
        code: 'not_configured',
        detail: 'Missing settings',
        settings: ['TIDINGS_API_KEY'],
      })[1],
    ).toBe(
      'The Tidings plugin or server is not configured (missing: TIDINGS_API_KEY); the operator must configure it. Retrying will not help.',
    );
  });

  it('an unknown code gives only the first line, on one line', () => {
    expect(errorText({ code: 'tidings_unreachable', detail: 'no answer\nat all' }, hints)).toBe(
      'Error tidings_unreachable: no answer at all',
    );
  });
});
