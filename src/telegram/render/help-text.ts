/**
 * The fixed texts: the command list (also registered with Telegram), help, what the bot
 * can do (the answer to a message nothing else answers), and the privacy statement.
 */
import { bold, code, escapeHtml, italic, truncate } from './format/index.ts';
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
  { command: 'watch', description: 'Alert on new mail: /watch from:alice' },
  { command: 'watches', description: 'Your new-mail alerts' },
  { command: 'quiet', description: 'Hold alerts overnight: /quiet 22:00-07:00' },
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
  'Tell me when Alice writes',
];

export function helpReply(): Reply {
  const commands = COMMANDS.map((c) => `/${c.command} — ${escapeHtml(c.description)}`);
  const examples = EXAMPLES.map((e) => `• ${escapeHtml(e)}`);
  return {
    html: [
      `${bold('Ask me in your own words')}, for example:`,
      examples.join('\n'),
      `${bold('Then follow up')} on what I showed: "open 1", "the second", "more", "and friday?", "anything else from her?", "unread ones?"`,
      bold('Or use a command:'),
      commands.join('\n'),
    ].join('\n\n'),
  };
}

/**
 * What the bot can do, for a message it cannot place: the kinds of questions, follow-ups
 * and commands, with a few examples.
 */
/** Said before what the bot can do when the chat model gave no answer. */
export const MODEL_UNAVAILABLE_NOTE =
  'The model that answers open questions did not answer this time, so here is what I can do myself:';

/**
 * What the bot can do, with examples: the answer to what nothing understood, or (`note`)
 * to what the chat model did not answer.
 */
export function canDoReply(examples: readonly string[], note?: string): Reply {
  const shown = (examples.length > 0 ? examples : EXAMPLES).slice(0, 4);
  return {
    html: [
      note ? italic(note) : "I can't answer that one. Here is what I can do:",
      [
        `📅 ${bold('Your calendar')}: a day or a week, free time, your next event`,
        `📬 ${bold('Your mail')}: by sender or topic, unread mail, reading a message`,
        `✅ ${bold('To-dos')}: what your recent mail asks of you`,
        `↩️ ${bold('Follow-ups')} after a list: "open 1", "more", "and friday?", "anything else from her?"`,
      ].join('\n'),
      `For example:\n${shown.map((e) => `• ${escapeHtml(e)}`).join('\n')}`,
      'Commands: /today, /inbox, /unread, /free; /help lists them all.',
    ].join('\n\n'),
  };
}

/**
 * The privacy statement; `contextMinutes`: how long the chat's context lasts; `model`:
 * the chat model questions may go to, and where it runs, when one is set up.
 */
export function privacyReply(
  contextMinutes: number,
  model: { name: string; host: string } | null = null,
  watches: ReadonlyArray<{ query: string; account: string }> | null = null,
): Reply {
  const yours =
    watches === null
      ? ''
      : watches.length === 0
        ? ' You have none now.'
        : ` You have ${watches.length === 1 ? 'one' : watches.length}:\n${watches
            .map((w) => `   – ${code(truncate(w.query, 120))} on ${escapeHtml(w.account)}`)
            .join('\n')}`;
  const modelLines = model
    ? [
        bold('Questions a model answers'),
        `When I cannot place a question myself, it goes to the chat model ${escapeHtml(model.name)} at ${escapeHtml(model.host)}, set up by whoever runs this Tidings, with your recent questions and the mail and events it reads to answer (read only; it cannot send, change or open links). What that server keeps is up to its operator.`,
      ]
    : [];
  return {
    html: [
      bold('What Tidings stores about you'),
      [
        '• Your Telegram id, first name, time zone and briefing time.',
        '• For each Google account you connect: its email address, the permissions you granted and the sign-in tokens, encrypted.',
        '• A history of connection changes (connected, reconnected, revoked).',
        `• For ${contextMinutes} minutes after your last message, so that "open 1", "more" or "and friday?" work: your last few questions (up to 6), which list I showed last (the ids of its messages or events), the day and the mail search you asked about, and the name and address of the sender of the mail you opened last. Then it is deleted.`,
        '• Each message you send, until it is answered (usually under a second); then only its Telegram update id, for 7 days, so a message Telegram delivers twice is answered once.',
        '• For up to 2 days, which of my messages carry a "Connect Google" button, so I can remove those buttons once you have connected.',
        `• Your new-mail watches: each Gmail search you asked to be alerted on, the account it watches and where in that account's history the last check stopped; and your quiet hours. An alert that arrives in quiet hours waits (its sender, subject, snippet and link) until the digest is sent, and is then deleted; an alert sent at once is kept only until it is sent.${yours}`,
      ].join('\n'),
      bold('What it does not store'),
      'The text of your mail and calendar. It is read from Google when you ask, shown here, and not kept (a new-mail alert keeps its short snippet only until it is sent).',
      ...modelLines,
      bold('Deleting it'),
      `/disconnect removes one Google account and revokes its access at Google; /watches removes one watch${watches && watches.length > 0 ? ', "Delete my watches" below all of them' : ''}. "Delete everything" below revokes every account and deletes all your data here. Messages already in this chat stay until you delete the chat.`,
    ].join('\n\n'),
    buttons: [
      [{ text: '🗑 Delete everything', callback_data: 'pd' }],
      ...(watches && watches.length > 0
        ? [[{ text: '🗑 Delete my watches', callback_data: 'pw' }]]
        : []),
    ],
  };
}
