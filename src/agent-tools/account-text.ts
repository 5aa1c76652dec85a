/**
 * Account tool results as text: the user's Google accounts and a connect link. Their
 * values come from Tidings, not from mail, so they are cleaned but not fenced.
 */
import { whenText, wall } from './text-dates.ts';
import { line, neutralise } from './text-safety.ts';
import { count, json, list, rec, str } from './text-values.ts';

const STATUS_TEXT: Readonly<Record<string, string>> = {
  active: 'active',
  degraded: 'degraded',
  needs_reauth: 'needs reconnecting',
  revoked: 'revoked',
};

/** The user's Google accounts (`GET /v1/connections`), one line each. */
export function connectionsText(output: unknown): string {
  const connections = list(rec(output)?.connections, (v) => {
    const r = rec(v);
    const id = str(r?.id);
    return r && id !== null ? { r, id } : null;
  });
  if (!connections) {
    return `The connections list has an unexpected shape: ${line(json(output), 2000)}`;
  }
  if (connections.length === 0) {
    return 'No Google account is connected. Call the connect-link tool and give the user the link to open in their browser.';
  }
  let broken = false;
  const lines = connections.map(({ r, id }) => {
    const name = line(str(r.display_name) ?? '', 80);
    const status = str(r.status) ?? '';
    const reason = line(str(r.status_reason) ?? '', 80);
    broken ||= status === 'needs_reauth' || status === 'revoked';
    const access = Array.isArray(r.capabilities) ? r.capabilities : [];
    const parts = [
      `- ${line(str(r.email) ?? '', 120) || '(no email)'}${name ? ` (${name})` : ''}`,
      `${STATUS_TEXT[status] ?? (line(status, 40) || 'unknown status')}${reason ? ` (${reason})` : ''}`,
      [access.includes('gmail') ? 'Gmail' : '', access.includes('calendar') ? 'Calendar' : '']
        .filter(Boolean)
        .join(' + ') || 'no access',
    ];
    if (r.is_default === true) parts.push('default');
    parts.push(`id=${line(id, 80)}`);
    return parts.join(' · ');
  });
  const head = `${count(connections.length, 'Google account')} connected:`;
  const hint = broken
    ? [
        'To reconnect an account, call the connect-link tool with its id and give the user the link.',
      ]
    : [];
  return [head, ...lines, ...hint].join('\n');
}

/** A connect link (`POST /v1/connect-links`) and what the user has to do with it. */
export function connectLinkText(output: unknown): string {
  const r = rec(output);
  const url = neutralise(str(r?.url) ?? '').trim();
  if (!/^https?:\/\/\S+$/.test(url)) return 'The connect link answer has no usable URL.';
  const expires = wall(r?.expires_at);
  const when = expires
    ? ` and expires ${whenText(expires, { year: new Date().getUTCFullYear() })}${expires.zone ? ` ${expires.zone}` : ''}`
    : '';
  return [
    `Connect link: ${url}`,
    `Give this link to the user: they must open it themselves in a browser and sign in with Google. It works once${when}.`,
  ].join('\n');
}
