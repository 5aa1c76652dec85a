import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyboard, startBotFixture } from './bot.harness.ts';
import type { BotFixture } from './bot.harness.ts';
import { CONNECT_URL } from './bot-front-door.harness.ts';

let f: BotFixture;

beforeAll(async () => {
  f = await startBotFixture();
});
afterAll(async () => {
  await f?.close();
});

async function press(userId: number, messageId: number, data: string): Promise<void> {
  const answered = f.nextCall('answerCallbackQuery');
  await f.control.press(userId, messageId, data);
  await answered;
}

async function text(userId: number, message: string): Promise<string | undefined> {
  return (await f.ask(userId, message))[0]?.text;
}

const queries = (userId: string) => (f.door.watches_.get(userId) ?? []).map((w) => w.query);

describe('/watch and /watches', () => {
  it('answers a bare /watch with how to use it', async () => {
    await f.door.signUp(6001, 'Alex');
    expect(await text(6001, '/watch')).toStrictEqual(
      [
        'Watch for new mail with a Gmail search, for example:',
        '/watch from:alice@northwind.example',
        '/watch subject:invoice',
        '/watch from:bank is:important',
        'Each new message that matches is sent here once. /watches lists them; /quiet 22:00-07:00 holds them overnight.',
      ].join('\n'),
    );
  });

  it('creates a watch on the default account, and says so when it already exists', async () => {
    const user = await f.door.signUp(6002, 'Alex');
    const created = await text(6002, '/watch from:alice@northwind.example');
    const again = await text(6002, '/watch from:alice@northwind.example');
    expect({ created, again, stored: queries(user.id) }).toStrictEqual({
      created:
        "👀 I'll tell you when new mail matching from:alice@northwind.example arrives in alex@example.com. /watches lists your watches.",
      again:
        'You already watch from:alice@northwind.example in alex@example.com. /watches lists your watches.',
      stored: ['from:alice@northwind.example'],
    });
  });

  it('refuses one watch too many with the limit', async () => {
    const user = await f.door.signUp(6003, 'Alex');
    f.door.watchLimit = 1;
    try {
      await text(6003, '/watch subject:invoice');
      expect({
        refused: await text(6003, '/watch subject:receipt'),
        stored: queries(user.id),
      }).toStrictEqual({
        refused:
          'You already have 1 watches, the most one person may have. Remove one with /watches first.',
        stored: ['subject:invoice'],
      });
    } finally {
      f.door.watchLimit = 20;
    }
  });

  it('refuses an oversized query and control characters, storing nothing', async () => {
    const user = await f.door.signUp(6004, 'Alex');
    const refusal =
      'I cannot watch that: a watch is one line of Gmail search, up to 300 characters. For example /watch from:alice@example.com';
    expect({
      long: await text(6004, `/watch ${'x'.repeat(400)}`),
      twoLines: await text(6004, '/watch from:a\nsubject:b'),
      stored: queries(user.id),
    }).toStrictEqual({ long: refusal, twoLines: refusal, stored: [] });
  });

  it('escapes HTML in a query it answers with', async () => {
    await f.door.signUp(6005, 'Alex');
    const [answer] = await f.ask(6005, '/watch subject:<b>hi</b> & "x"');
    expect(answer?.html).toStrictEqual(
      "👀 I'll tell you when new mail matching <code>subject:&lt;b&gt;hi&lt;/b&gt; &amp; &quot;x&quot;</code> arrives in <b>alex@example.com</b>. /watches lists your watches.",
    );
  });

  it('says how to add a watch when there is none', async () => {
    await f.door.signUp(6006, 'Alex');
    expect(await text(6006, '/watches')).toStrictEqual(
      'You are not watching for any mail yet. Add a watch with /watch from:alice@example.com or /watch subject:invoice.\n\nQuiet hours: off. /quiet 22:00-07:00 holds alerts overnight.',
    );
  });

  it('lists the watches, paused ones marked, and removes one by its button', async () => {
    const user = await f.door.signUp(6007, 'Alex');
    await f.ask(6007, '/watch from:alice');
    await f.ask(6007, '/watch subject:invoice');
    const second = f.door.watches_.get(user.id)?.[1];
    if (second) second.paused = 'reauth_required';
    const [list] = await f.ask(6007, '/watches');
    const buttons = keyboard(list);
    await press(6007, list?.message_id ?? 0, buttons[0]?.[0]?.callback_data ?? '');
    const [after] = (await f.control.inbox(6007)).filter((m) => m.message_id === list?.message_id);
    expect({
      list: list?.text,
      buttons: buttons.map((row) => row.map((b) => b.text)),
      ids: buttons.flat().map((b) => /^wr:[0-9a-f-]{36}$/.test(b.callback_data ?? '')),
      after: after?.text,
      stored: queries(user.id),
    }).toStrictEqual({
      list: [
        'New mail you are watching for',
        '',
        '1. from:alice\nalex@example.com',
        '',
        '2. subject:invoice\nalex@example.com · paused: reconnect',
        '',
        'Quiet hours: off. /quiet 22:00-07:00 holds alerts overnight.',
      ].join('\n'),
      buttons: [['Remove 1: from:alice'], ['Remove 2: subject:invoice']],
      ids: [true, true],
      after: [
        'Stopped watching from:alice in alex@example.com.',
        '',
        'New mail you are watching for',
        '',
        '1. subject:invoice\nalex@example.com · paused: reconnect',
        '',
        'Quiet hours: off. /quiet 22:00-07:00 holds alerts overnight.',
      ].join('\n'),
      stored: ['subject:invoice'],
    });
  });

  it('answers the button of an older list, for a watch already removed, with the list', async () => {
    await f.door.signUp(6008, 'Alex');
    await f.ask(6008, '/watch from:alice');
    const [older] = await f.ask(6008, '/watches');
    const [list] = await f.ask(6008, '/watches');
    await press(6008, list?.message_id ?? 0, keyboard(list)[0]?.[0]?.callback_data ?? '');
    await press(6008, older?.message_id ?? 0, keyboard(older)[0]?.[0]?.callback_data ?? '');
    const [after] = (await f.control.inbox(6008)).filter((m) => m.message_id === older?.message_id);
    expect(after?.text).toStrictEqual(
      'That watch was already removed.\n\nYou are not watching for any mail yet. Add a watch with /watch from:alice@example.com or /watch subject:invoice.\n\nQuiet hours: off. /quiet 22:00-07:00 holds alerts overnight.',
    );
  });
});

describe('/quiet', () => {
  it('sets, shows and clears the quiet hours in the user zone', async () => {
    const user = await f.door.signUp(6101, 'Alex');
    const set = await text(6101, '/quiet 22:00-07:00');
    const stored = f.door.users_.get(user.id)?.settings;
    const shown = await text(6101, '/quiet');
    const listed = (await text(6101, '/watches'))?.split('\n\n').at(-1);
    const off = await text(6101, '/quiet off');
    expect({
      set,
      stored,
      shown,
      listed,
      off,
      after: f.door.users_.get(user.id)?.settings,
    }).toStrictEqual({
      set: 'Quiet hours set: 22:00–07:00 (America/New_York). New-mail alerts that arrive then wait, and come as one digest when they end. /quiet off ends them.',
      stored: { quietHours: { from: '22:00', to: '07:00' } },
      shown:
        'Quiet hours: 22:00–07:00 (America/New_York): alerts then wait and come as one digest. /quiet off ends them.',
      listed:
        'Quiet hours: 22:00–07:00 (America/New_York): alerts then wait and come as one digest. /quiet off ends them.',
      off: 'Quiet hours are off: new-mail alerts come as they arrive.',
      after: { quietHours: null },
    });
  });

  it('refuses hours that are not two different times of day', async () => {
    const user = await f.door.signUp(6102, 'Alex');
    const refusal =
      'I did not understand those hours. Give two different times of day, such as /quiet 22:00-07:00, or /quiet off.';
    expect({
      late: await text(6102, '/quiet 25:00-07:00'),
      same: await text(6102, '/quiet 07:00-07:00'),
      words: await text(6102, '/quiet <b>tonight</b>'),
      stored: f.door.users_.get(user.id)?.settings,
    }).toStrictEqual({ late: refusal, same: refusal, words: refusal, stored: {} });
  });
});

describe('watches asked in words', () => {
  it('creates, lists and removes a watch from free text', async () => {
    const user = await f.door.signUp(6201, 'Alex');
    const created = await text(6201, 'Tell me when Alice writes');
    const topic = await text(6201, 'alert me about mail about the invoice');
    const listed = (await text(6201, 'what am I watching?'))?.split('\n\n')[0];
    const removed = await text(6201, 'stop watching alice');
    expect({ created, topic, listed, removed, stored: queries(user.id) }).toStrictEqual({
      created:
        "👀 I'll tell you when new mail matching from:alice arrives in alex@example.com. /watches lists your watches.",
      topic:
        "👀 I'll tell you when new mail matching invoice arrives in alex@example.com. /watches lists your watches.",
      listed: 'New mail you are watching for',
      removed: 'Stopped watching from:alice in alex@example.com.',
      stored: ['invoice'],
    });
  });

  it('lists the watches when the words match none', async () => {
    await f.door.signUp(6202, 'Alex');
    await f.ask(6202, '/watch from:alice');
    expect((await text(6202, 'stop watching bob'))?.split('\n\n')[0]).toStrictEqual(
      'None of your watches mentions bob.',
    );
  });
});

describe('help', () => {
  it('lists /watch, /watches and /quiet in the help and the registered commands', async () => {
    await f.door.signUp(6302, 'Alex');
    const help = (await text(6302, '/help'))?.split('\n') ?? [];
    const registered = f.calls.find((c) => c.method === 'setMyCommands')?.params.commands as
      | Array<{ command: string }>
      | undefined;
    expect({
      help: help.filter((l) => /^\/(?:watch|watches|quiet) /.test(l)),
      registered: registered
        ?.map((c) => c.command)
        .filter((c) => ['watch', 'watches', 'quiet'].includes(c)),
    }).toStrictEqual({
      help: [
        '/watch — Alert on new mail: /watch from:alice',
        '/watches — Your new-mail alerts',
        '/quiet — Hold alerts overnight: /quiet 22:00-07:00',
      ],
      registered: ['watch', 'watches', 'quiet'],
    });
  });
});

describe('privacy', () => {
  it('lists the watches among what is stored, and deletes them all with one button', async () => {
    const user = await f.door.signUp(6301, 'Alex');
    await f.ask(6301, '/watch from:alice');
    await f.ask(6301, '/watch subject:<b>invoice</b>');
    const [privacy] = await f.ask(6301, '/privacy');
    const lines = privacy?.text.split('\n') ?? [];
    const at = lines.findIndex((l) => l.startsWith('• Your new-mail watches'));
    expect({
      bullet: lines[at],
      listed: lines.slice(at + 1, at + 3),
      html: privacy?.html?.includes('<code>subject:&lt;b&gt;invoice&lt;/b&gt;</code>'),
      buttons: keyboard(privacy).map((row) => row.map((b) => [b.text, b.callback_data])),
    }).toStrictEqual({
      bullet:
        "• Your new-mail watches: each Gmail search you asked to be alerted on, the account it watches and where in that account's history the last check stopped; and your quiet hours. An alert that arrives in quiet hours waits (its sender, subject, snippet and link) until the digest is sent, and is then deleted; an alert sent at once is kept only until it is sent. You have 2:",
      listed: [
        '   – from:alice on alex@example.com',
        '   – subject:<b>invoice</b> on alex@example.com',
      ],
      html: true,
      buttons: [[['🗑 Delete everything', 'pd']], [['🗑 Delete my watches', 'pw']]],
    });
    await press(6301, privacy?.message_id ?? 0, 'pw');
    const [after] = (await f.control.inbox(6301)).filter(
      (m) => m.message_id === privacy?.message_id,
    );
    expect({ after: after?.text, stored: queries(user.id) }).toStrictEqual({
      after:
        'Deleted your 2 watches, and the alerts that were waiting for your quiet hours to end.',
      stored: [],
    });
    // With none, there is nothing to delete.
    const [none] = await f.ask(6301, '/privacy');
    expect(keyboard(none).map((row) => row.map((b) => b.callback_data))).toStrictEqual([['pd']]);
  });
});

const alert = (n: number, subject = `Subject ${n}`) => ({
  id: `m${n}`,
  threadId: `t${n}`,
  from: { name: `Sender ${n}`, email: `s${n}@northwind.example` },
  to: [],
  subject,
  date: '2026-03-03T13:00:00Z',
  snippet: `Snippet ${n}`,
  labels: ['INBOX'],
  unread: true,
  link: `https://mail.google.com/mail/u/0/#all/m${n}`,
  matched: ['from:northwind.example'],
  account: 'alex@example.com',
  connectionId: 'conn-x',
});

describe('alert delivery', () => {
  it('delivers an alert escaped, without a link preview, with an Open button', async () => {
    const user = await f.door.signUp(6401, 'Alex');
    await f.ask(6401, '/help');
    await f.door.outbox.enqueue({
      userId: user.id,
      kind: 'watch_alert',
      payload: {
        alert: {
          ...alert(1, '<script>Pay</script> & now'),
          from: { name: 'Alice <Boss>', email: 'alice@northwind.example' },
          snippet: 'Click <a href="http://evil.example">here</a>',
        },
      },
    });
    await f.bot.deliverOutbox();
    const [sent] = (await f.control.inbox(6401)).slice(1);
    expect({
      html: sent?.html,
      preview: sent?.link_preview_options,
      buttons: keyboard(sent),
    }).toStrictEqual({
      html: [
        '📬 New mail from <b>Alice &lt;Boss&gt;</b> (alice@northwind.example)',
        '<b>&lt;script&gt;Pay&lt;/script&gt; &amp; now</b>',
        '<i>Click &lt;a href=&quot;http://evil.example&quot;&gt;here&lt;/a&gt;</i>',
        '',
        'Matched your watch <code>from:northwind.example</code> in alex@example.com.',
      ].join('\n'),
      preview: { is_disabled: true },
      buttons: [[{ text: 'Open', url: 'https://mail.google.com/mail/u/0/#all/m1' }]],
    });
  });

  it('delivers a digest in one message with at most ten buttons', async () => {
    const user = await f.door.signUp(6402, 'Alex');
    await f.ask(6402, '/help');
    const alerts = Array.from({ length: 12 }, (_, i) => alert(i + 1));
    await f.door.outbox.enqueue({ userId: user.id, kind: 'watch_digest', payload: { alerts } });
    await f.bot.deliverOutbox();
    const sent = (await f.control.inbox(6402)).slice(1);
    const lines = sent[0]?.text.split('\n') ?? [];
    expect({
      messages: sent.length,
      heading: lines[0],
      first: lines[2],
      last: lines.at(-1),
      buttons: keyboard(sent[0]).map((row) => row.length),
      firstUrl: keyboard(sent[0])[0]?.[0],
    }).toStrictEqual({
      messages: 1,
      heading: 'While you were quiet: 12 new messages',
      first: '1. Sender 1 — Subject 1',
      last: '12. Sender 12 — Subject 12',
      buttons: [5, 5],
      firstUrl: { text: 'Open 1', url: 'https://mail.google.com/mail/u/0/#all/m1' },
    });
  });

  it('tells once that watches are paused, with the reconnect or connect button', async () => {
    const user = await f.door.signUp(6403, 'Alex');
    await f.ask(6403, '/help');
    await f.door.outbox.enqueue({
      userId: user.id,
      connectionId: 'conn-9',
      kind: 'watch_paused',
      payload: { email: 'alex@example.com', reason: 'reauth_required', watches: 2 },
    });
    await f.door.outbox.enqueue({
      userId: user.id,
      connectionId: 'conn-9',
      kind: 'watch_paused',
      payload: { email: 'alex@example.com', reason: 'not_connected', watches: 1 },
    });
    await f.bot.deliverOutbox();
    const sent = (await f.control.inbox(6403)).slice(1);
    expect(sent.map((m) => ({ text: m.text, buttons: keyboard(m) }))).toStrictEqual([
      {
        text: '⏸ Your 2 watches on alex@example.com are paused: Google no longer accepts the sign-in. Reconnect to resume.',
        buttons: [[{ text: 'Reconnect Google', url: `${CONNECT_URL}?ticket=${user.id}-conn-9` }]],
      },
      {
        text: '⏸ Your 1 watch on alex@example.com is paused: the account is no longer connected. Connect it again with /connect to resume them.',
        buttons: [[{ text: 'Connect Google', url: `${CONNECT_URL}?ticket=${user.id}` }]],
      },
    ]);
  });
});
