/**
 * The HTML the authorization endpoint shows: a consent page (account chooser, one
 * checkbox per requested non-sign-in scope, Allow and Cancel) and Google-style error
 * pages. Every value is escaped; the form posts back to the authorization endpoint.
 */
import type { SandboxUser } from '../context.ts';
import { escapeHtml } from '../escape-html.ts';
import {
  describeScope,
  isSignInScope,
  OPENID,
  USERINFO_EMAIL,
  USERINFO_PROFILE,
} from './scopes.ts';

export interface ConsentPageInput {
  requestId: string;
  clientId: string;
  users: SandboxUser[];
  selectedEmail: string | null;
  scopes: string[];
}

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f0f4f9;
    color: #1f1f1f; margin: 0; display: flex; justify-content: center; }
  main { background: #fff; border-radius: 28px; padding: 36px 40px; margin: 48px 16px; max-width: 560px;
    width: 100%; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .brand { font-size: 14px; color: #444746; margin-bottom: 20px; }
  h1 { font-size: 26px; font-weight: 400; margin: 0 0 8px; }
  h2 { font-size: 15px; font-weight: 500; margin: 24px 0 8px; }
  fieldset { border: 0; padding: 0; margin: 0; }
  label { display: flex; gap: 12px; align-items: center; padding: 10px 12px; border: 1px solid #dadce0;
    border-radius: 12px; margin: 6px 0; cursor: pointer; }
  .fixed { color: #444746; padding: 6px 12px; margin: 0; list-style: none; }
  .account small { display: block; color: #444746; }
  .actions { display: flex; justify-content: flex-end; gap: 12px; margin-top: 28px; }
  button { font: inherit; border-radius: 20px; padding: 10px 24px; border: 1px solid #747775;
    background: #fff; color: #0b57d0; cursor: pointer; }
  button.primary { background: #0b57d0; border-color: #0b57d0; color: #fff; }
  .code { font-family: ui-monospace, monospace; color: #b3261e; }
  .warning { background: #fef7e0; border-radius: 12px; padding: 10px 14px; font-size: 14px; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
<div class="brand">Google sandbox &middot; Sign in</div>
${body}
</main></body>
</html>
`;
}

const SIGN_IN_TEXT: Record<string, string> = {
  [OPENID]: 'Associate you with your personal info on Google',
  [USERINFO_EMAIL]: 'See your primary Google Account email address',
  [USERINFO_PROFILE]:
    'See your personal info, including any personal info you have made publicly available',
};

export function renderConsentPage(input: ConsentPageInput): string {
  const client = escapeHtml(input.clientId);
  const selected = input.selectedEmail ?? input.users[0]?.email ?? null;
  const accounts = input.users
    .map(
      (user) =>
        `<label class="account"><input type="radio" name="account" value="${escapeHtml(user.email)}"${
          user.email === selected ? ' checked' : ''
        } required><span>${escapeHtml(user.name)}<small>${escapeHtml(user.email)}</small></span></label>`,
    )
    .join('\n');
  const fixed = input.scopes
    .filter(isSignInScope)
    .map((scope) => `<li>${escapeHtml(SIGN_IN_TEXT[scope] ?? scope)}</li>`)
    .join('\n');
  const grantable = input.scopes
    .filter((scope) => !isSignInScope(scope))
    .map(
      (scope) =>
        `<label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked><span>${escapeHtml(
          describeScope(scope),
        )}</span></label>`,
    )
    .join('\n');
  const noAccounts =
    input.users.length === 0 ? '<p>No accounts exist in this sandbox yet.</p>' : '';
  return layout(
    `Sign in - ${input.clientId}`,
    `<h1>${client} wants to access your Google Account</h1>
${
  grantable === ''
    ? ''
    : `<p class="warning">Google hasn't verified this app. It asks for access to sensitive or restricted data in your Google Account; continue only if you trust ${client}.</p>`
}
<form method="post" action="/o/oauth2/v2/auth">
<input type="hidden" name="request_id" value="${escapeHtml(input.requestId)}">
<h2>Choose an account</h2>
<fieldset>${accounts}</fieldset>${noAccounts}
${fixed === '' ? '' : `<h2>${client} will always be able to</h2>\n<ul class="fixed">${fixed}</ul>`}
${grantable === '' ? '' : `<h2>Select what ${client} can access</h2>\n<fieldset>${grantable}</fieldset>`}
<div class="actions">
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
<button type="submit" name="action" value="allow" class="primary">Allow</button>
</div>
</form>`,
  );
}

export function renderErrorPage(status: number, error: string, description: string): string {
  return layout(
    `Error ${status}: ${error}`,
    `<h1>Access blocked: this request is invalid</h1>
<p>${escapeHtml(description)}</p>
<p>Error ${status}: <span class="code">${escapeHtml(error)}</span></p>`,
  );
}
