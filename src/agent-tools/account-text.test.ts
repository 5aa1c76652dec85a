import { describe, expect, it } from 'vitest';
import { connectionsText, connectLinkText } from './account-text.ts';

describe('connectionsText', () => {
  const alex = {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    provider: 'google',
    email: 'alex@example.com',
    display_name: 'Alex Morgan',
    status: 'active',
    status_reason: null,
    capabilities: ['gmail', 'calendar'],
    granted_scopes: [],
    is_default: true,
    created_at: '2026-03-01T10:00:00.000Z',
    last_used_at: null,
  };

  it('lists each account with status, access, default mark and id', () => {
    const work = {
      ...alex,
      id: 'c0ffee00-0000-4000-8000-000000000002',
      email: 'alex@work.example',
      display_name: null,
      status: 'needs_reauth',
      status_reason: 'revoked',
      capabilities: ['calendar'],
      is_default: false,
    };
    expect(connectionsText({ connections: [alex, work] })).toBe(
      [
        '2 Google accounts connected:',
        '- alex@example.com (Alex Morgan) · active · Gmail + Calendar · default · id=c0ffee00-0000-4000-8000-000000000001',
        '- alex@work.example · needs reconnecting (revoked) · Calendar · id=c0ffee00-0000-4000-8000-000000000002',
        'To reconnect an account, call the connect-link tool with its id and give the user the link.',
      ].join('\n'),
    );
  });

  it('says when no account is connected and what to call', () => {
    expect(connectionsText({ connections: [] })).toBe(
      'No Google account is connected. Call the connect-link tool and give the user the link to open in their browser.',
    );
  });

  it('does not throw on a malformed answer', () => {
    expect(connectionsText(null)).toBe('The connections list has an unexpected shape: null');
  });
});

describe('connectLinkText', () => {
  it('gives the link, that it works once, when it expires, and who opens it', () => {
    const link = {
      url: 'https://tidings.example.com/connect/4hT9kQ',
      expires_at: '2026-03-10T09:42:00.000Z',
    };
    expect(connectLinkText(link)).toBe(
      [
        'Connect link: https://tidings.example.com/connect/4hT9kQ',
        'Give this link to the user: they must open it themselves in a browser and sign in with Google. It works once and expires Tue 10 Mar 09:42 UTC.',
      ].join('\n'),
    );
  });

  it('refuses an answer without a usable URL', () => {
    expect(connectLinkText({ url: 'javascript:alert(1)' })).toBe(
      'The connect link answer has no usable URL.',
    );
  });
});
