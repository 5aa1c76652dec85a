/**
 * Google accounts in the chat: `/start` (with the `connect` deep-link payload), `/connect`,
 * `/accounts` (status, default, reconnect) and `/disconnect` with a confirmation step.
 */
import type { InlineKeyboardButton } from 'grammy/types';
import type { ConnectionView } from '../../connections/index.ts';
import { reauthClause } from '../render/index.ts';
import { bold, escapeHtml } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import { plain } from '../render/index.ts';
import { connectButton } from './turn.ts';
import type { Turn } from './turn.ts';

function services(connection: ConnectionView): string {
  const names = connection.capabilities.map((c) => (c === 'gmail' ? 'Gmail' : 'Calendar'));
  return names.length > 0 ? names.join(' and ') : 'nothing yet';
}

function status(connection: ConnectionView): string {
  switch (connection.status) {
    case 'active':
      return 'working';
    case 'degraded':
      return 'working, Google is slow to answer';
    case 'needs_reauth':
      return `needs reconnecting: ${reauthClause(connection.statusReason ?? undefined)}`;
    case 'revoked':
      return 'disconnected';
    default:
      return String(connection.status);
  }
}

export async function startCommand(turn: Turn, payload: string): Promise<Reply> {
  const connections = await turn.services.frontDoor.connections.list(turn.user.id);
  const live = connections.filter((c) => c.status !== 'revoked');
  const hello = `👋 Hi ${escapeHtml(turn.user.displayName)}! I read your Gmail and Google Calendar and answer here, in your own words or with commands.`;
  if (live.length === 0 || payload.trim() === 'connect') {
    const button = await connectButton(turn, 'Connect Google');
    return {
      html: `${hello}\n\nFirst, connect your Google account: I only ask to read, never to send or change anything.`,
      ...(button ? { buttons: [[button]] } : {}),
    };
  }
  const accounts = live.map((c) => escapeHtml(c.email)).join(', ');
  return {
    html: `${hello}\n\nConnected: ${accounts}.\n\nTry "What's on tomorrow?" or /help.`,
  };
}

export async function connectCommand(turn: Turn): Promise<Reply> {
  const button = await connectButton(turn, 'Connect Google');
  if (!button) {
    return plain(
      'This Tidings server is not set up to talk to Google yet. Ask its owner to add the Google OAuth settings.',
    );
  }
  return {
    html: 'Open this link to connect a Google account. It works once and expires in a few minutes.',
    buttons: [[button]],
  };
}

export async function accountsCommand(turn: Turn): Promise<Reply> {
  const { frontDoor } = turn.services;
  const connections = (await frontDoor.connections.list(turn.user.id)).filter(
    (c) => c.status !== 'revoked',
  );
  const add = await connectButton(
    turn,
    connections.length > 0 ? 'Add an account' : 'Connect Google',
  );
  if (connections.length === 0) {
    return { html: 'No Google account is connected yet.', ...(add ? { buttons: [[add]] } : {}) };
  }
  const rows: InlineKeyboardButton[][] = [];
  const lines: string[] = [];
  for (const c of connections) {
    const star = c.isDefault && connections.length > 1 ? ' ⭐ default' : '';
    lines.push(`${bold(c.email)}${star}\n${escapeHtml(services(c))} · ${escapeHtml(status(c))}`);
    if (c.status === 'needs_reauth') {
      const again = await connectButton(turn, `Reconnect ${c.email}`, c.id);
      if (again) rows.push([again]);
    }
    if (!c.isDefault && connections.length > 1) {
      rows.push([
        { text: `Make ${c.email} default`, callback_data: await turn.buttons.pack('ad', c.id) },
      ]);
    }
  }
  if (add) rows.push([add]);
  return { html: `${bold('Your Google accounts')}\n\n${lines.join('\n\n')}`, buttons: rows };
}

async function confirmDisconnect(turn: Turn, connection: ConnectionView): Promise<Reply> {
  return {
    html: `Disconnect ${bold(connection.email)}? Tidings revokes its access at Google and deletes the stored sign-in.`,
    buttons: [
      [
        {
          text: 'Yes, disconnect',
          callback_data: await turn.buttons.pack('dy', connection.id),
        },
        { text: 'Cancel', callback_data: 'x' },
      ],
    ],
  };
}

/** `/disconnect [email]`: asks which account (when several), then for confirmation. */
export async function disconnectCommand(turn: Turn, arg: string): Promise<Reply> {
  const { frontDoor } = turn.services;
  if (arg.trim()) {
    return confirmDisconnect(turn, await frontDoor.connections.resolve(turn.user.id, arg.trim()));
  }
  const connections = (await frontDoor.connections.list(turn.user.id)).filter(
    (c) => c.status !== 'revoked',
  );
  if (connections.length === 0) return plain('No Google account is connected.');
  const only = connections[0];
  if (connections.length === 1 && only) return confirmDisconnect(turn, only);
  return {
    html: 'Which account should I disconnect?',
    buttons: await Promise.all(
      connections.map(async (c) => [
        { text: c.email, callback_data: await turn.buttons.pack('dx', c.id) },
      ]),
    ),
  };
}

export async function disconnectAsk(turn: Turn, connectionId: string): Promise<Reply> {
  const connection = await turn.services.frontDoor.connections.resolve(turn.user.id, connectionId);
  return confirmDisconnect(turn, connection);
}

export async function disconnectConfirmed(turn: Turn, connectionId: string): Promise<Reply> {
  const done = await turn.services.frontDoor.connections.disconnect(turn.user.id, connectionId);
  const email = done.connection.email;
  return plain(
    done.revokedAtGoogle
      ? `Disconnected ${email}. Its access at Google is revoked.`
      : `Disconnected ${email} and deleted its sign-in here, but Google did not confirm the revocation. To be sure, remove Tidings under Third-party apps at myaccount.google.com/permissions.`,
  );
}

export async function makeDefault(turn: Turn, connectionId: string): Promise<Reply> {
  await turn.services.frontDoor.connections.setDefault(turn.user.id, connectionId);
  return accountsCommand(turn);
}
