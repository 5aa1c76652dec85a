/**
 * A Gmail API test server for this module's HTTP tests: a small Fastify app with the Gmail
 * routes, a fake sandbox context (tokens for alex, sam and a calendar-only grant) and a
 * few messages, listening on 127.0.0.1 on a free port.
 */
import { auth as googleAuth, gmail } from '@googleapis/gmail';
import Fastify, { type FastifyInstance } from 'fastify';
import { SCOPES, type SandboxUser } from '../context.ts';
import { createFakeContext, type FakeContext } from './fake-context.harness.ts';
import { registerGmailRoutes } from './routes.ts';
import { createGmailStore, type GmailStore } from './store.ts';

export const alex: SandboxUser = {
  email: 'alex@example.com',
  sub: '1',
  name: 'Alex',
  timeZone: 'UTC',
};
export const sam: SandboxUser = {
  email: 'sam@example.com',
  sub: '2',
  name: 'Sam',
  timeZone: 'UTC',
};
export const NOW = new Date('2026-03-07T12:00:00Z');
export const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5000, 0x41)]);

export const INVOICE = [
  'From: Alice Chen <alice@northwind.example>',
  'To: Alex Rivera <alex@example.com>',
  'Subject: =?ISO-8859-1?Q?Facture_pour_f=E9vrier?=',
  'Message-ID: <inv-1@northwind.example>',
  'Date: Mon, 23 Feb 2026 09:00:00 -0800',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="mixed"',
  '',
  '--mixed',
  'Content-Type: multipart/alternative; boundary="alt"',
  '',
  '--alt',
  'Content-Type: text/plain; charset=ISO-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Voici la facture de f=E9vrier: "NW-4471" <pay by Friday> & thanks.',
  '--alt',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Voici la facture</p>',
  '--alt--',
  '--mixed',
  'Content-Type: application/pdf; name="NW-4471.pdf"',
  'Content-Disposition: attachment; filename="NW-4471.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  PDF.toString('base64').replace(/.{76}/g, '$&\r\n'),
  '--mixed--',
  '',
].join('\r\n');

export const REPLY = [
  'From: Alex Rivera <alex@example.com>',
  'To: Alice Chen <alice@northwind.example>',
  'Subject: Re: Facture',
  'In-Reply-To: <inv-1@northwind.example>',
  'References: <inv-1@northwind.example>',
  'Date: Tue, 24 Feb 2026 10:00:00 -0500',
  '',
  "Thanks Alice, I'll pay it this week.",
].join('\r\n');

const SPAM =
  'From: x@spam.example\r\nSubject: Win\r\nDate: Wed, 4 Mar 2026 10:00:00 +0000\r\n\r\nWin';
const SAMS =
  'From: mum@family.example\r\nSubject: Sunday\r\nDate: Thu, 5 Mar 2026 10:00:00 +0000\r\n\r\nLunch?';

export interface TestApp {
  app: FastifyInstance;
  base: string;
  store: GmailStore;
  ctx: FakeContext;
  ids: { invoice: string; reply: string; spam: string; sams: string };
  /** The official Gmail client with an access token. */
  client(token: string): ReturnType<typeof gmail>;
}

export async function startTestApp(): Promise<TestApp> {
  const store = createGmailStore();
  store.defineLabel(alex.email, { id: 'Label_1', name: 'Invoices' });
  const ids = {
    invoice: store.importMessage(alex.email, Buffer.from(INVOICE, 'latin1'), [
      'INBOX',
      'UNREAD',
      'Label_1',
    ]).id,
    reply: store.importMessage(alex.email, Buffer.from(REPLY), ['SENT']).id,
    spam: store.importMessage(alex.email, Buffer.from(SPAM), ['SPAM', 'UNREAD']).id,
    sams: store.importMessage(sam.email, Buffer.from(SAMS), ['INBOX']).id,
  };
  const ctx = createFakeContext(
    {
      'token-alex': { user: alex, scopes: [SCOPES.gmailReadonly] },
      'token-sam': { user: sam, scopes: [SCOPES.gmailFull] },
      'token-calendar': { user: alex, scopes: [SCOPES.calendarReadonly] },
    },
    NOW,
  );
  const app = Fastify();
  registerGmailRoutes(app, ctx, store);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = (token: string) => {
    const auth = new googleAuth.OAuth2();
    auth.setCredentials({ access_token: token });
    return gmail({ version: 'v1', rootUrl: `${base}/`, auth });
  };
  return { app, base, store, ctx, ids, client };
}
