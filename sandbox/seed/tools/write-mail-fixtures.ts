/**
 * Writes the seed messages whose bytes cannot be typed by hand: bodies in ISO-8859-1,
 * Windows-1252 and Shift_JIS, base64 bodies, and PDF / PNG attachments. The other seed
 * mail is plain `.eml` text. Run: `node sandbox/seed/tools/write-mail-fixtures.ts`.
 * `{{date|format}}` placeholders are kept in 8bit bodies only: quoted-printable line
 * breaks could split them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  base64Lines,
  buildPdf,
  buildPng,
  encodedWord,
  encodeText,
  quotedPrintable,
} from './mail-encoding.ts';

const DIR = join(import.meta.dirname, '..', 'alex@example.com', 'mail');
const ALEX = 'Alex Rivera <alex@example.com>';

type Part = { headers: string[]; body: Buffer | string };

function multipart(type: string, boundary: string, parts: Part[]): Part {
  const chunks: (Buffer | string)[] = [];
  for (const part of parts) {
    chunks.push(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`, part.body, '\r\n');
  }
  chunks.push(`--${boundary}--\r\n`);
  const body = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  return { headers: [`Content-Type: ${type}; boundary="${boundary}"`], body };
}

function text(
  charset: string,
  content: string,
  encoding: 'quoted-printable' | 'base64' | '8bit',
): Part {
  const bytes = encodeText(content.replace(/\n/g, '\r\n'), charset);
  const body =
    encoding === 'quoted-printable'
      ? quotedPrintable(bytes)
      : encoding === 'base64'
        ? base64Lines(bytes)
        : bytes;
  return {
    headers: [
      `Content-Type: text/plain; charset=${charset}`,
      `Content-Transfer-Encoding: ${encoding}`,
    ],
    body,
  };
}

function attachment(type: string, filename: string, bytes: Buffer): Part {
  return {
    headers: [
      `Content-Type: ${type}; name="${filename}"`,
      `Content-Disposition: attachment; filename="${filename}"`,
      'Content-Transfer-Encoding: base64',
    ],
    body: base64Lines(bytes),
  };
}

function write(name: string, labels: string, headers: string[], part: Part): void {
  const head = [`X-Gmail-Labels: ${labels}`, ...headers, 'MIME-Version: 1.0', ...part.headers];
  const body = typeof part.body === 'string' ? Buffer.from(part.body) : part.body;
  writeFileSync(
    join(DIR, name),
    Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]),
  );
}

const invoicePdf = buildPdf([
  'Northwind Print Co.  -  148 Harbour Road, Portland OR',
  '',
  'INVOICE NW-4471                         Job: LUM-02 print run ',
  'Bill to: Fernhill Studio, attn. Alex Rivera',
  'PO: 2026-118',
  '',
  'Lumen Health brochure, 24 pp, 350 gsm silk cover    1,500 x  1.40   2,100.00',
  'Spot UV on cover                                                       260.00',
  'Delivery                                                               120.00',
  '',
  'TOTAL DUE (USD)                                                      2,480.00',
  'Payment terms: 14 days. Bank: Harbor Bank, acct 0042 7781 3390',
]);

write(
  '2026-02-23-northwind-invoice-nw-4471.eml',
  'INBOX, IMPORTANT, CATEGORY_PERSONAL, Label_1',
  [
    'From: Alice Chen <alice@northwind.example>',
    `To: ${ALEX}`,
    'Subject: Invoice NW-4471 - Lumen Health brochure print run',
    'Date: Mon, 23 Feb 2026 09:12:40 -0800',
    'Message-ID: <nw-4471.1771866760@northwind.example>',
  ],
  multipart('multipart/mixed', 'nw4471-mixed', [
    text(
      'utf-8',
      'Hi Alex,\n\nPlease find attached invoice NW-4471 for the Lumen Health brochure print run\n' +
        '(1,500 copies, delivered to your studio on Friday). The total is $2,480.00.\n\n' +
        'Payment terms are 14 days. Let me know if anything looks off.\n\n' +
        'Best,\nAlice Chen\nAccounts, Northwind Print Co.\n',
      'quoted-printable',
    ),
    attachment('application/pdf', 'NW-4471.pdf', invoicePdf),
  ]),
);

write(
  '2026-03-01-canal-street-desks-invoice.eml',
  'INBOX, CATEGORY_UPDATES, Label_1',
  [
    'From: Canal Street Desks <billing@canalstreetdesks.example>',
    `To: ${ALEX}`,
    'Subject: Invoice CSD-{{2026-03-08|yyyy-MM}} for {{2026-03-08|MMMM}} membership',
    'Date: Sun, 1 Mar 2026 06:00:00 -0500',
    'Message-ID: <inv-2026-03-0112@canalstreetdesks.example>',
  ],
  multipart('multipart/mixed', 'csd-0112', [
    text(
      'utf-8',
      'Hello Alex,\n\nYour invoice for {{2026-03-08|MMMM}} is attached: dedicated desk, 1 month, $420.00.\n' +
        'It will be charged to the card on file on {{2026-03-05|d MMMM}}.\n\nCanal Street Desks\n',
      '8bit',
    ),
    attachment(
      'application/pdf',
      'CSD-{{2026-03-08|yyyy-MM}}.pdf',
      buildPdf(['Canal Street Desks', 'Membership invoice', 'Dedicated desk, 1 month   $420.00']),
    ),
  ]),
);

write(
  '2026-03-02-lumen-msa-v3.eml',
  'INBOX, UNREAD, IMPORTANT, CATEGORY_PERSONAL, Label_2',
  [
    'From: Dana Whitfield <dana@lumenhealth.example>',
    `To: ${ALEX}`,
    'Cc: Priya Natarajan <priya@example.com>',
    'Subject: Master services agreement v3 for review',
    'Date: Mon, 2 Mar 2026 11:03:12 -0500',
    'Message-ID: <msa-v3-20260302@lumenhealth.example>',
  ],
  multipart('multipart/mixed', 'lumen-msa', [
    text(
      'utf-8',
      'Hi Alex,\n\nAttached is v3 of the master services agreement with the changes our legal team\n' +
        'made to the IP and payment sections. Can you review the contract before end of day\n' +
        'Thursday? We would like to countersign on Friday.\n\nThanks,\nDana\n',
      'quoted-printable',
    ),
    attachment(
      'application/pdf',
      'Lumen-MSA-v3.pdf',
      buildPdf(['MASTER SERVICES AGREEMENT (v3)', 'Lumen Health Inc. and Fernhill Studio LLC']),
    ),
  ]),
);

write(
  '2026-02-25-atelier-lumiere-projet.eml',
  'INBOX, CATEGORY_PERSONAL, Label_2',
  [
    `From: ${encodedWord('Hélène Fauré', 'ISO-8859-1', 'Q')} <helene.faure@atelier-lumiere.example>`,
    `To: ${ALEX}`,
    `Subject: ${encodedWord('Projet identité visuelle : Café Lumière', 'ISO-8859-1', 'Q')}`,
    'Date: Wed, 25 Feb 2026 15:47:05 +0100',
    'Message-ID: <20260225154705.4F2A@atelier-lumiere.example>',
  ],
  text(
    'ISO-8859-1',
    'Bonjour Alex,\n\nComme convenu, voici le brief pour la nouvelle identité du Café Lumière à Lyon :\n' +
      '- un logo qui fonctionne en enseigne et sur les tasses ;\n' +
      '- une palette chaleureuse (crème, terre cuite, vert olive) ;\n' +
      '- une typographie lisible pour les menus.\n\n' +
      'Le budget prévu est de 6 500 euros. Pourriez-vous nous envoyer une première\n' +
      'proposition la semaine prochaine ?\n\nBien cordialement,\nHélène Fauré\nAtelier Lumière\n',
    'quoted-printable',
  ),
);

write(
  '2026-03-03-atelier-lumiere-retours.eml',
  'INBOX, UNREAD, CATEGORY_PERSONAL, Label_2',
  [
    `From: ${encodedWord('Hélène Fauré', 'ISO-8859-1', 'Q')} <helene.faure@atelier-lumiere.example>`,
    `To: ${ALEX}`,
    `Subject: Re: ${encodedWord('Projet identité visuelle : Café Lumière', 'ISO-8859-1', 'Q')}`,
    'Date: Tue, 3 Mar 2026 10:12:33 +0100',
    'Message-ID: <20260303101233.77B1@atelier-lumiere.example>',
    'In-Reply-To: <CAFh7R2k9x0-alex-reply-lumiere@mail.example.com>',
    'References: <20260225154705.4F2A@atelier-lumiere.example> <CAFh7R2k9x0-alex-reply-lumiere@mail.example.com>',
  ],
  text(
    'ISO-8859-1',
    'Bonjour Alex,\n\nMerci pour les pistes ! Nous préférons la deuxième (le « soleil levant »).\n' +
      'Quelques retours : le vert est un peu trop froid, et le nom doit rester lisible à 2 cm.\n\n' +
      'Merci de nous envoyer les maquettes révisées avant vendredi, si possible.\n\n' +
      'À bientôt,\nHélène\n',
    '8bit',
  ),
);

write(
  '2026-02-24-hoshi-books-cover.eml',
  'INBOX, CATEGORY_PERSONAL, Label_2',
  [
    `From: ${encodedWord('佐藤 健二', 'Shift_JIS', 'B')} <kenji.sato@hoshi-books.example>`,
    `To: ${ALEX}`,
    `Subject: ${encodedWord('表紙デザインのご相談（新刊）', 'Shift_JIS', 'B')}`,
    'Date: Tue, 24 Feb 2026 18:20:00 +0900',
    'Message-ID: <20260224182000.kenji@hoshi-books.example>',
  ],
  text(
    'Shift_JIS',
    'Alex様\n\nいつもお世話になっております。星書房の佐藤です。\n' +
      '新刊「海辺の図書館」の表紙デザインをお願いしたく、ご連絡いたしました。\n' +
      '締め切りは{{2026-03-20|M}}月{{2026-03-20|d}}日、判型は四六判です。\n\n' +
      '(English summary: we would like you to design the cover of our new title,\n' +
      '"The Library by the Sea". Deadline {{2026-03-20|d MMMM}}.)\n\nよろしくお願いいたします。\n佐藤 健二\n',
    '8bit',
  ),
);

write(
  '2026-03-04-hoshi-books-cover-sketch.eml',
  'INBOX, UNREAD, CATEGORY_PERSONAL, Label_2',
  [
    `From: ${encodedWord('佐藤 健二', 'UTF-8', 'B')} <kenji.sato@hoshi-books.example>`,
    `To: ${ALEX}`,
    `Subject: Re: ${encodedWord('表紙デザインのご相談（新刊）', 'UTF-8', 'B')}`,
    'Date: Wed, 4 Mar 2026 09:05:00 +0900',
    'Message-ID: <20260304090500.kenji@hoshi-books.example>',
    'In-Reply-To: <CAFh7R2m1q-alex-reply-hoshi@mail.example.com>',
    'References: <20260224182000.kenji@hoshi-books.example> <CAFh7R2m1q-alex-reply-hoshi@mail.example.com>',
  ],
  multipart('multipart/mixed', 'hoshi-sketch', [
    text(
      'UTF-8',
      'Alex様\n\nラフ案ありがとうございます。編集部で検討した色見本を添付します。\n' +
        '(Attached: the colour reference our editors chose.)\n\n佐藤\n',
      'base64',
    ),
    attachment(
      'image/png',
      'colour-reference.png',
      buildPng(96, 64, [14, 58, 92], [242, 196, 120]),
    ),
  ]),
);

write(
  '2026-02-27-brightwater-poster-budget.eml',
  'INBOX, STARRED, CATEGORY_PERSONAL, Label_2',
  [
    `From: ${encodedWord('Siobhán O’Neill', 'windows-1252', 'Q')} <siobhan@brightwater.example>`,
    `To: ${ALEX}`,
    `Subject: ${encodedWord('Brightwater Festival – poster budget', 'windows-1252', 'Q')}`,
    'Date: Fri, 27 Feb 2026 16:31:09 +0000',
    'Message-ID: <a1b2c3d4.20260227163109@brightwater.example>',
  ],
  text(
    'windows-1252',
    'Hi Alex,\n\nGood news – the board approved the “Tides & Lanterns” concept!\n' +
      'We’ve got €1.200 for the poster series (three sizes) and €350 for the programme cover.\n' +
      'Could you send an updated quote that fits within that? No rush… next week is fine.\n\n' +
      'Cheers,\nSiobhán\n',
    'quoted-printable',
  ),
);

write(
  '2026-03-03-tom-hero-crop.eml',
  'INBOX, CATEGORY_PERSONAL',
  [
    'From: Tom Okafor <tom@example.com>',
    `To: ${ALEX}`,
    'Subject: Homepage hero - new crop',
    'Date: Tue, 3 Mar 2026 16:48:21 -0500',
    'Message-ID: <CAJt0m-hero-crop-20260303@mail.example.com>',
  ],
  multipart('multipart/mixed', 'hero-crop', [
    text(
      'utf-8',
      'Alex, here is the tighter crop for the Lumen hero at 1440 px. Does it work for you?\n\nTom\n',
      '8bit',
    ),
    attachment(
      'image/png',
      'lumen-hero-crop.png',
      buildPng(120, 60, [255, 241, 230], [211, 84, 0]),
    ),
  ]),
);
