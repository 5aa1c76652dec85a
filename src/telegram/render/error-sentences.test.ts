import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../errors.ts';
import { errorSentence } from './error-sentences.ts';

describe('error sentences', () => {
  it('gives every code a sentence without internal wording', () => {
    const sentences = ERROR_CODES.map((code) => errorSentence(code).text);
    expect(sentences.filter((s) => s.length < 20 || /_|\bundefined\b|Error/.test(s))).toStrictEqual(
      [],
    );
  });

  it('asks to reconnect an expired grant, with a reconnect button', () => {
    expect(errorSentence('reauth_required', { reason: 'expired' })).toStrictEqual({
      text: "I can't reach your Google account: the sign-in expired. Reconnect it and ask me again.",
      button: 'reconnect',
    });
  });

  it('names the missing service and the wait Google asked for', () => {
    expect([
      errorSentence('scope_missing', {
        scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
      }),
      errorSentence('provider_rate_limited', { retryAfterSeconds: 12.2 }),
    ]).toStrictEqual([
      {
        text: "Your Google connection does not allow access to Google Calendar. Reconnect and tick that box on Google's consent page.",
        button: 'reconnect',
      },
      { text: 'Google asked me to slow down. Please try again in 13 seconds.', button: null },
    ]);
  });

  it('says what dates it can look at when a date is refused, and stays general otherwise', () => {
    expect([
      errorSentence('invalid_request', { field: 'day' }).text,
      errorSentence('invalid_request', { field: 'to' }).text,
      errorSentence('invalid_request', { field: 'query' }).text,
    ]).toStrictEqual([
      'I cannot look at that date: try a day between 1970 and 2100, and at most two months at a time.',
      'I cannot look at that date: try a day between 1970 and 2100, and at most two months at a time.',
      'I could not make sense of that request. /help shows what I understand.',
    ]);
  });
});
