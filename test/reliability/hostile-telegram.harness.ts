/**
 * What the hostile-input suite says to the bot, as fast-check arbitraries: webhook
 * deliveries (updates of every shape, well-formed ones from strangers, bodies that are no
 * update at all; right and wrong secrets) and what a person might type in the chat.
 */
import fc from 'fast-check';
import type { RawRequest } from './hostile-stack.harness.ts';
import { CONTENT_TYPES, headerValue, jsonBody, text } from './hostile-text.harness.ts';

const telegramId = fc.oneof(
  fc.integer({ min: 80_001, max: 80_004 }),
  fc.integer(),
  fc.string({ maxLength: 5 }),
  fc.constant(null),
);
const user = fc.record(
  {
    id: telegramId,
    is_bot: fc.oneof(fc.boolean(), fc.constant('no')),
    first_name: fc.oneof(text, fc.integer()),
    language_code: fc.oneof(fc.constantFrom('en', 'de', 'fr-CA'), text, fc.integer()),
  },
  { requiredKeys: [] },
);
const chat = fc.oneof(
  fc.constant(null),
  fc.record(
    {
      id: telegramId,
      type: fc.oneof(fc.constantFrom('private', 'group', 'supergroup', 'channel'), text),
    },
    { requiredKeys: [] },
  ),
);
const message = fc.oneof(
  fc.constant(null),
  fc.constant({}),
  fc.record(
    {
      message_id: fc.oneof(fc.nat(), text),
      date: fc.oneof(fc.nat(), text),
      chat,
      from: fc.oneof(user, fc.constant(null)),
      text: fc.oneof(
        fc.constantFrom(
          '/start',
          '/help',
          '/inbox',
          '/today',
          '/accounts',
          '/privacy',
          '/timezone x',
        ),
        text,
        fc.integer(),
        fc.constant(null),
      ),
      entities: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  ),
);
const callbackQuery = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
    from: fc.oneof(user, fc.constant(null)),
    data: fc.oneof(fc.constantFrom('pd', 'p~abcdefghij', 'o:xyz', 'x'), text, fc.integer()),
    message: fc.oneof(message, fc.constant(undefined)),
    chat_instance: fc.string({ maxLength: 5 }),
  },
  { requiredKeys: [] },
);
const update = fc.record(
  {
    update_id: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 2 ** 31 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    message,
    callback_query: callbackQuery,
    edited_message: message,
    my_chat_member: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);

/** Updates as Telegram sends them, from people who never wrote before, saying anything. */
const wellFormedUpdate = fc
  .record({
    id: fc.integer({ min: 1, max: 2 ** 31 }),
    person: fc.integer({ min: 80_001, max: 80_004 }),
    chatType: fc.constantFrom('private', 'private', 'private', 'group'),
    text: fc.oneof(
      fc.constantFrom(
        '/start',
        '/help',
        '/inbox',
        '/today',
        '/accounts',
        '/connect',
        '/timezone x',
      ),
      text,
    ),
    press: fc.option(fc.oneof(fc.constantFrom('pd', 'p~abcdefghij', 'o:1'), text), {
      nil: undefined,
    }),
  })
  .map(({ id, person, chatType, text: said, press }) => {
    const from = { id: person, is_bot: false, first_name: 'Stranger', language_code: 'en' };
    const chat = { id: chatType === 'private' ? person : -person, type: chatType };
    return press === undefined
      ? { update_id: id, message: { message_id: id, date: 0, chat, from, text: said || '?' } }
      : {
          update_id: id,
          callback_query: {
            id: String(id),
            from,
            chat_instance: 'x',
            data: press,
            message: { message_id: 1, date: 0, chat },
          },
        };
  });

/** A delivery to the Telegram webhook: with the right secret mostly, of any shape. */
export const webhookRequest = (secret: string) =>
  fc
    .record({
      secret: fc.oneof(
        { weight: 8, arbitrary: fc.constant(secret) },
        {
          weight: 2,
          arbitrary: fc.oneof(
            fc.constant(undefined),
            fc.constant(''),
            fc.constant(`${secret}x`),
            fc.constant(secret.slice(1)),
            headerValue,
          ),
        },
      ),
      body: fc.oneof(
        { weight: 4, arbitrary: update.map((u) => JSON.stringify(u)) },
        { weight: 2, arbitrary: wellFormedUpdate.map((u) => JSON.stringify(u)) },
        { weight: 2, arbitrary: jsonBody },
      ),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
    })
    .map(
      (r): RawRequest => ({
        method: 'POST',
        path: '/telegram/webhook',
        headers: {
          'content-type': r.contentType,
          ...(r.secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': r.secret }),
        },
        body: r.body,
      }),
    );

/** What a person might type in the chat: questions, commands, and noise. */
export const chatText = fc
  .oneof(
    fc.constantFrom(
      'what is on my calendar today?',
      'am I free tomorrow at 3?',
      'any unread mail from Alice?',
      'what do I need to reply to?',
      'mail about invoice',
      '/agenda friday',
      '/free 25:99',
      '/timezone Mars/Olympus',
      '/briefing 99:99',
      '/next',
      '/unread',
      '/inbox',
      '/accounts',
    ),
    fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'free',
            'busy',
            'mail',
            'from',
            'tomorrow',
            'at',
            '3',
            'pm',
            'next',
            'week',
            'last',
            '999999',
            'days',
            'every',
            'between',
            'and',
            '/agenda',
            '/free',
            'in',
            'Tokyo',
            'UTC+14',
            '"',
          ),
          text,
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((words) => words.join(' ')),
    text,
  )
  .map((t) => (t.trim() === '' ? `${t}?` : t).slice(0, 4000));
