/**
 * Mail and invitations can carry characters that change how text reads without showing:
 * a right-to-left override turns "invoice_gnp.exe" into "invoice_exe.png", zero-width
 * and tag characters hide words. None of them reaches Telegram, in any field of any
 * answer: what the bot sends to the Bot API is checked, not what it meant to send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyboard, startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';

const RLO = '\u202E';
/** One of each kind: bidi overrides, embeddings and isolates, marks, zero-width, tags, controls. */
const HIDDEN = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  RLO,
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\u2064',
  '\uFEFF',
  '\u{E0041}',
  '\u{E007F}',
  '\u00AD',
  '\u0007',
  '\u001B',
  '\u0085',
  '\u009B',
].join('');
/** Anything invisible that is not a line break or a tab. */
const INVISIBLE = /[\p{Cf}\p{Cc}]/u;

function base64Word(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;
}

function hostileMail(): Uint8Array {
  const boundary = 'b0undary';
  const lines = [
    `From: ${base64Word(`Bank${RLO} Security${HIDDEN}`)} <security@bank.example>`,
    'To: Alex Rivera <alex@example.com>',
    `Subject: ${base64Word(`Your statement invoice_${RLO}gnp.exe${HIDDEN}`)}`,
    'Date: Tue, 03 Mar 2026 13:30:00 +0000',
    'Message-ID: <hidden-1@bank.example>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `Hello Alex,${HIDDEN}`,
    `Could you send the signed${RLO} form back by Friday?${HIDDEN}`,
    '',
    `--${boundary}`,
    `Content-Type: application/octet-stream; name="${base64Word(`statement_${RLO}fdp.exe`)}"`,
    `Content-Disposition: attachment; filename="${base64Word(`statement_${RLO}fdp.exe`)}"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('not really a file').toString('base64'),
    `--${boundary}--`,
    '',
  ];
  return new Uint8Array(Buffer.from(lines.join('\r\n'), 'utf8'));
}

function hostileEvent(): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tidings tests//EN',
    'BEGIN:VEVENT',
    'UID:hidden-event@test',
    'DTSTAMP:20260301T000000Z',
    `SUMMARY:Board${RLO} review${HIDDEN}`,
    `LOCATION:Room${RLO} 4${HIDDEN}`,
    `DESCRIPTION:Agenda${HIDDEN}`,
    'DTSTART:20260303T200000Z',
    'DTEND:20260303T203000Z',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

let f: BotFixture;

beforeAll(async () => {
  f = await startBotFixture();
  await f.door.signUp(6401, 'Alex');
  await f.google.control(
    'POST',
    '/__sandbox/users/alex@example.com/messages?labelIds=INBOX,UNREAD',
    hostileMail(),
  );
  await f.google.control(
    'POST',
    '/__sandbox/users/alex@example.com/events?calendarId=primary',
    hostileEvent(),
  );
});
afterAll(async () => {
  await f?.close();
});

/** Every text and button label the bot handed to the Bot API so far. */
function sentTexts(): string[] {
  return f.calls.flatMap((call) => {
    const { text, reply_markup: markup } = call.params as {
      text?: unknown;
      reply_markup?: { inline_keyboard?: Array<Array<{ text?: unknown }>> };
    };
    const labels = markup?.inline_keyboard?.flat().map((b) => String(b.text)) ?? [];
    return [...(typeof text === 'string' ? [text] : []), ...labels];
  });
}

describe('invisible characters from mail and invitations', () => {
  it('never reach Telegram in a mail list, an opened message, an agenda or action items', async () => {
    const [list] = await f.ask(6401, '/inbox');
    const open = keyboard(list)[0]?.[0]?.callback_data ?? '';
    const before = (await f.control.inbox(6401)).length;
    await f.control.press(6401, list?.message_id ?? 0, open);
    const [opened] = (await f.control.inbox(6401, { count: before + 1 })).slice(before);
    const [today] = await f.ask(6401, '/today');
    const [busy] = await f.ask(6401, 'am I free today at 3pm?');
    const [actions] = await f.ask(6401, '/actions');
    const texts = sentTexts();
    expect({
      listed: list?.text.split('\n').slice(2, 4),
      opened: opened?.text.split('\n').filter((l) => /^(From|📎)|statement|Could you/.test(l)),
      event: today?.text.split('\n').filter((l) => /Board|Room/.test(l)),
      busy: busy?.text,
      // Removed characters may leave two spaces where one was; that is all they leave.
      action: actions?.text
        .split('\n')
        .filter((l) => l.includes('signed'))
        .map((l) => l.replace(/\s+/g, ' ').trim()),
      sent: texts.length > 5,
      invisible: texts.filter((t) => INVISIBLE.test(t.replace(/[\n\t]/g, ''))),
    }).toStrictEqual({
      listed: ['1. ● Your statement invoice_gnp.exe', 'Bank Security · today at 08:30'],
      opened: [
        'Your statement invoice_gnp.exe',
        'From: Bank Security <security@bank.example>',
        '📎 statement_fdp.exe (17 B)',
        'Could you send the signed form back by Friday?',
      ],
      event: ['15:00–15:30  Board review', '   📍 Room 4'],
      busy: '❌ You are busy today at 15:00: Board review.',
      action: ['1. Hello Alex, Could you send the signed form back by Friday?'],
      sent: true,
      invisible: [],
    });
  });
});
