/**
 * The fixed texts: the command list (also registered with Telegram), help, the answer to
 * a message that is not understood, and the privacy statement.
 */
import { bold, escapeHtml } from './format/index.ts';
import type { Reply } from './reply.ts';

export const COMMANDS: ReadonlyArray<{ command: string; description: string }> = [
  { command: 'today', description: "Today's agenda" },
  { command: 'tomorrow', description: "Tomorrow's agenda" },
  { command: 'week', description: 'The rest of this week' },
  { command: 'agenda', description: 'Agenda for a day: /agenda friday' },
  { command: 'free', description: 'Free time: /free friday at 3' },
  { command: 'next', description: 'Your next event' },
  { command: 'inbox', description: 'Latest mail, or search: /inbox from:alice' },
  { command: 'unread', description: 'Unread mail' },
  { command: 'actions', description: 'What your mail asks you to do' },
  { command: 'briefing', description: 'Daily briefing: /briefing 07:30 or off' },
  { command: 'timezone', description: 'Set your time zone: /timezone Europe/Paris' },
  { command: 'connect', description: 'Connect a Google account' },
  { command: 'accounts', description: 'Your Google accounts' },
  { command: 'disconnect', description: 'Disconnect a Google account' },
  { command: 'privacy', description: 'What is stored, and deleting it' },
  { command: 'help', description: 'What I can do' },
  { command: 'start', description: 'Start over' },
];

export const EXAMPLES: readonly string[] = [
  "What's on tomorrow?",
  'Am I free friday at 3?',
  'Anything from Alice?',
  'Unread mail about the invoice',
  'What do I need to reply to?',
];

export function helpReply(): Reply {
  const commands = COMMANDS.map((c) => `/${c.command} — ${escapeHtml(c.description)}`);
  const examples = EXAMPLES.map((e) => `• ${escapeHtml(e)}`);
  return {
    html: [
      `${bold('Ask me in your own words')}, for example:`,
      examples.join('\n'),
      bold('Or use a command:'),
      commands.join('\n'),
    ].join('\n\n'),
  };
}

export function notUnderstoodReply(suggestions: readonly string[]): Reply {
  const list = (suggestions.length > 0 ? suggestions : EXAMPLES).map((s) => `• ${escapeHtml(s)}`);
  return {
    html: `I did not understand that. You can ask things like:\n\n${list.join('\n')}\n\n/help lists every command.`,
  };
}

export function privacyReply(): Reply {
  return {
    html: [
      bold('What Tidings stores about you'),
      [
        '• Your Telegram id, first name, time zone and briefing time.',
        '• For each Google account you connect: its email address, the permissions you granted and the sign-in tokens, encrypted.',
        '• A history of connection changes (connected, reconnected, revoked).',
      ].join('\n'),
      bold('What it does not store'),
      'Your mail and calendar. They are read from Google when you ask, shown here, and not kept.',
      bold('Deleting it'),
      '/disconnect removes one Google account and revokes its access at Google. "Delete everything" below revokes every account and deletes all your data here. Messages already in this chat stay until you delete the chat.',
    ].join('\n\n'),
    buttons: [[{ text: '🗑 Delete everything', callback_data: 'pd' }]],
  };
}
