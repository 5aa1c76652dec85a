import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoMail, TelegramSandbox } from './index.ts';
import { startTelegramSandbox } from './index.ts';

const CANNED: DemoMail[] = [
  { from: 'Alice Chen <alice@northwind.example>', subject: 'Invoice 2291' },
];

describe('the demo mail route of the web chat', () => {
  let sandbox: TelegramSandbox;
  let plain: TelegramSandbox;
  const dropped: DemoMail[] = [];

  beforeAll(async () => {
    sandbox = await startTelegramSandbox({
      demoMail: {
        to: 'alex@example.com',
        everySeconds: 10,
        canned: CANNED,
        async drop(mail) {
          if (mail.subject === 'refused') return { refused: 'The mailbox refused it.' };
          if (mail.subject === 'unreachable') throw new Error('connection refused');
          dropped.push(mail);
          return { id: `m${dropped.length}` };
        },
      },
    });
    plain = await startTelegramSandbox({});
  });

  afterAll(async () => {
    await sandbox.close();
    await plain.close();
  });

  const drop = async (base: string, body: string, type = 'application/json') => {
    const response = await fetch(`${base}/__sandbox/demo/mail`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('offers the mailbox, the interval and the ready-made mails, and drops a mail', async () => {
    const offer = await (await fetch(`${sandbox.url}/__sandbox/demo/mail`)).json();
    const answer = await drop(
      sandbox.url,
      JSON.stringify({ from: ' Alice Chen <alice@northwind.example> ', subject: 'Invoice 2291' }),
    );
    expect({ offer, answer, dropped }).toStrictEqual({
      offer: { offered: true, to: 'alex@example.com', everySeconds: 10, canned: CANNED },
      answer: { status: 201, body: { id: 'm1' } },
      dropped: [{ from: 'Alice Chen <alice@northwind.example>', subject: 'Invoice 2291' }],
    });
  });

  it('offers nothing without demo mail (an answer, not an error), so the page shows no button', async () => {
    const offer = await fetch(`${plain.url}/__sandbox/demo/mail`);
    const answer = await drop(plain.url, JSON.stringify(CANNED[0]));
    expect([offer.status, await offer.json(), answer.status]).toStrictEqual([
      200,
      { offered: false },
      404,
    ]);
  });

  it.each([
    ['an empty body', ''],
    ['malformed JSON', '{"from":'],
    ['a JSON array', '[]'],
    ['no subject', JSON.stringify({ from: 'a@example.org' })],
    ['an empty subject', JSON.stringify({ from: 'a@example.org', subject: '  ' })],
    ['no address', JSON.stringify({ from: 'Alice', subject: 'x' })],
    ['a header injected', JSON.stringify({ from: 'a@example.org\r\nBcc: x@y.org', subject: 'x' })],
    ['a line break in the subject', JSON.stringify({ from: 'a@example.org', subject: 'x\ny' })],
    ['a NUL in the subject', JSON.stringify({ from: 'a@example.org', subject: 'x\u0000y' })],
    ['an oversized subject', JSON.stringify({ from: 'a@example.org', subject: 's'.repeat(201) })],
    ['an unknown field', JSON.stringify({ from: 'a@example.org', subject: 'x', to: 'b@c.org' })],
    ['a refused mail', JSON.stringify({ from: 'a@example.org', subject: 'refused' })],
  ])('answers 400 {error} for %s', async (_name, body) => {
    const answer = await drop(sandbox.url, body);
    expect([answer.status, typeof answer.body.error]).toStrictEqual([400, 'string']);
  });

  it('answers 502 when the mailbox cannot be reached, without the cause', async () => {
    const answer = await drop(
      sandbox.url,
      JSON.stringify({ from: 'a@example.org', subject: 'unreachable' }),
    );
    expect(answer).toStrictEqual({
      status: 502,
      body: { error: 'The mailbox of alex@example.com cannot be reached.' },
    });
  });
});
