import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GmailStore } from './store.ts';
import { INVOICE, PDF, REPLY, sam, startTestApp, type TestApp } from './gmail-app.harness.ts';

let app: FastifyInstance;
let base: string;
let store: GmailStore;
let ids: TestApp['ids'];
let client: TestApp['client'];

beforeAll(async () => {
  ({ app, base, store, ids, client } = await startTestApp());
});

afterAll(async () => {
  await app.close();
});

describe('Gmail routes through the official client', () => {
  it('answers getProfile with counts and the current history id', async () => {
    const { data } = await client('token-alex').users.getProfile({ userId: 'me' });
    expect(data).toStrictEqual({
      emailAddress: 'alex@example.com',
      messagesTotal: 3,
      threadsTotal: 2,
      historyId: '1000003',
    });
  });

  it('lists messages newest first without spam, and pages', async () => {
    const api = client('token-alex');
    const all = await api.users.messages.list({ userId: 'me' });
    expect(all.data).toStrictEqual({
      messages: [
        { id: ids.reply, threadId: ids.invoice },
        { id: ids.invoice, threadId: ids.invoice },
      ],
      resultSizeEstimate: 2,
    });
    const first = await api.users.messages.list({ userId: 'me', maxResults: 1 });
    expect(first.data.messages).toStrictEqual([{ id: ids.reply, threadId: ids.invoice }]);
    const second = await api.users.messages.list({
      userId: 'me',
      maxResults: 1,
      pageToken: first.data.nextPageToken!,
    });
    expect(second.data).toStrictEqual({
      messages: [{ id: ids.invoice, threadId: ids.invoice }],
      resultSizeEstimate: 2,
    });
    const filtered = await api.users.messages.list({
      userId: 'me',
      labelIds: ['UNREAD'],
      includeSpamTrash: true,
    });
    expect(filtered.data.messages?.map((m) => m.id)).toStrictEqual([ids.spam, ids.invoice]);
    const none = await api.users.messages.list({ userId: 'me', q: 'from:nobody' });
    expect(none.data).toStrictEqual({ resultSizeEstimate: 0 });
  });

  it('gets a message in full format with the MIME tree and charset-preserving bodies', async () => {
    const { data } = await client('token-alex').users.messages.get({
      userId: 'me',
      id: ids.invoice,
    });
    const plain = Buffer.from(
      'Voici la facture de f\xe9vrier: "NW-4471" <pay by Friday> & thanks.',
      'latin1',
    );
    expect(data).toStrictEqual({
      id: ids.invoice,
      threadId: ids.invoice,
      labelIds: ['INBOX', 'UNREAD', 'Label_1'],
      snippet:
        'Voici la facture de février: &quot;NW-4471&quot; &lt;pay by Friday&gt; &amp; thanks.',
      payload: {
        partId: '',
        mimeType: 'multipart/mixed',
        filename: '',
        headers: [
          { name: 'From', value: 'Alice Chen <alice@northwind.example>' },
          { name: 'To', value: 'Alex Rivera <alex@example.com>' },
          { name: 'Subject', value: '=?ISO-8859-1?Q?Facture_pour_f=E9vrier?=' },
          { name: 'Message-ID', value: '<inv-1@northwind.example>' },
          { name: 'Date', value: 'Mon, 23 Feb 2026 09:00:00 -0800' },
          { name: 'MIME-Version', value: '1.0' },
          { name: 'Content-Type', value: 'multipart/mixed; boundary="mixed"' },
        ],
        body: { size: 0 },
        parts: [
          {
            partId: '0',
            mimeType: 'multipart/alternative',
            filename: '',
            headers: [{ name: 'Content-Type', value: 'multipart/alternative; boundary="alt"' }],
            body: { size: 0 },
            parts: [
              {
                partId: '0.0',
                mimeType: 'text/plain',
                filename: '',
                headers: [
                  { name: 'Content-Type', value: 'text/plain; charset=ISO-8859-1' },
                  { name: 'Content-Transfer-Encoding', value: 'quoted-printable' },
                ],
                body: { size: plain.length, data: plain.toString('base64url') },
              },
              {
                partId: '0.1',
                mimeType: 'text/html',
                filename: '',
                headers: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
                body: {
                  size: 23,
                  data: Buffer.from('<p>Voici la facture</p>').toString('base64url'),
                },
              },
            ],
          },
          {
            partId: '1',
            mimeType: 'application/pdf',
            filename: 'NW-4471.pdf',
            headers: [
              { name: 'Content-Type', value: 'application/pdf; name="NW-4471.pdf"' },
              { name: 'Content-Disposition', value: 'attachment; filename="NW-4471.pdf"' },
              { name: 'Content-Transfer-Encoding', value: 'base64' },
            ],
            body: { attachmentId: expect.any(String), size: PDF.length },
          },
        ],
      },
      sizeEstimate: Buffer.byteLength(INVOICE, 'latin1'),
      historyId: '1000001',
      internalDate: String(Date.parse('2026-02-23T17:00:00Z')),
    });
    const attachmentId = data.payload!.parts![1]!.body!.attachmentId!;
    const attachment = await client('token-alex').users.messages.attachments.get({
      userId: 'me',
      messageId: ids.invoice,
      id: attachmentId,
    });
    expect(attachment.data).toStrictEqual({ size: PDF.length, data: PDF.toString('base64url') });
  });

  it('gets metadata, minimal and raw formats', async () => {
    const api = client('token-alex');
    const common = {
      id: ids.reply,
      threadId: ids.invoice,
      labelIds: ['SENT'],
      snippet: 'Thanks Alice, I&#39;ll pay it this week.',
    };
    const tail = {
      sizeEstimate: REPLY.length,
      historyId: '1000002',
      internalDate: String(Date.parse('2026-02-24T15:00:00Z')),
    };
    const metadata = await api.users.messages.get({
      userId: 'me',
      id: ids.reply,
      format: 'metadata',
      metadataHeaders: ['subject', 'From'],
    });
    expect(metadata.data).toStrictEqual({
      ...common,
      payload: {
        mimeType: 'text/plain',
        headers: [
          { name: 'From', value: 'Alex Rivera <alex@example.com>' },
          { name: 'Subject', value: 'Re: Facture' },
        ],
      },
      ...tail,
    });
    const minimal = await api.users.messages.get({
      userId: 'me',
      id: ids.reply,
      format: 'minimal',
    });
    expect(minimal.data).toStrictEqual({ ...common, ...tail });
    const raw = await api.users.messages.get({ userId: 'me', id: ids.reply, format: 'raw' });
    expect(raw.data).toStrictEqual({
      ...common,
      ...tail,
      raw: Buffer.from(REPLY).toString('base64url'),
    });
  });

  it('lists and gets threads', async () => {
    const api = client('token-alex');
    const list = await api.users.threads.list({ userId: 'me' });
    expect(list.data).toStrictEqual({
      threads: [
        {
          id: ids.invoice,
          snippet: 'Thanks Alice, I&#39;ll pay it this week.',
          historyId: '1000002',
        },
      ],
      resultSizeEstimate: 1,
    });
    const thread = await api.users.threads.get({
      userId: 'me',
      id: ids.invoice,
      format: 'minimal',
    });
    expect(thread.data.id).toBe(ids.invoice);
    expect(thread.data.historyId).toBe('1000002');
    expect(thread.data.messages?.map((m) => m.id)).toStrictEqual([ids.invoice, ids.reply]);
  });

  it('lists labels and gets one with its counts', async () => {
    const api = client('token-alex');
    const list = await api.users.labels.list({ userId: 'me' });
    expect(list.data.labels?.map((l) => l.id)).toStrictEqual([
      'CHAT',
      'SENT',
      'INBOX',
      'IMPORTANT',
      'TRASH',
      'DRAFT',
      'SPAM',
      'CATEGORY_FORUMS',
      'CATEGORY_UPDATES',
      'CATEGORY_PERSONAL',
      'CATEGORY_PROMOTIONS',
      'CATEGORY_SOCIAL',
      'STARRED',
      'UNREAD',
      'Label_1',
    ]);
    const label = await api.users.labels.get({ userId: 'me', id: 'Label_1' });
    expect(label.data).toStrictEqual({
      id: 'Label_1',
      name: 'Invoices',
      messageListVisibility: 'show',
      labelListVisibility: 'labelShow',
      type: 'user',
      messagesTotal: 1,
      messagesUnread: 1,
      threadsTotal: 1,
      threadsUnread: 1,
    });
    const unread = await api.users.labels.get({ userId: 'me', id: 'UNREAD' });
    expect(unread.data).toStrictEqual({
      id: 'UNREAD',
      name: 'UNREAD',
      type: 'system',
      messagesTotal: 2,
      messagesUnread: 2,
      threadsTotal: 2,
      threadsUnread: 2,
    });
  });

  it('lists history after a start id and sends a too old start id to full sync', async () => {
    const api = client('token-sam');
    const profile = await api.users.getProfile({ userId: 'sam@example.com' });
    const added = store.importMessage(
      sam.email,
      Buffer.from('From: a@b.example\r\nSubject: New\r\n\r\nNew mail'),
      ['INBOX', 'UNREAD'],
    );
    const history = await api.users.history.list({
      userId: 'me',
      startHistoryId: profile.data.historyId!,
    });
    const record = String(Number(profile.data.historyId) + 1);
    expect(history.data).toStrictEqual({
      history: [
        {
          id: record,
          messages: [{ id: added.id, threadId: added.threadId }],
          messagesAdded: [
            { message: { id: added.id, threadId: added.threadId, labelIds: ['INBOX', 'UNREAD'] } },
          ],
        },
      ],
      historyId: record,
    });
    const old = await fetch(`${base}/gmail/v1/users/me/history?startHistoryId=5`, {
      headers: { authorization: 'Bearer token-sam' },
    });
    expect(old.status).toBe(404);
  });
});
