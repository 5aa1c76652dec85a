/**
 * Reading tool results as a model would: the lines inside `untrusted-data` blocks and
 * the framing around them, message ids (`id=…`, or `"id"` in JSON), and the senders,
 * subjects and event lines that a summary names. Works on Tidings' tool text and, less
 * precisely, on any JSON or plain text.
 */

export interface ResultParts {
  /** Lines outside any data block: counts, headings, notices. */
  framing: string[];
  /** Lines inside data blocks (or every line when there is no block). */
  data: string[];
}

const OPEN = /^<untrusted-data\b[^>]*>$/;
const CLOSE = /^<\/untrusted-data\b[^>]*>$/;

export function splitResult(text: string): ResultParts {
  const lines = text.split('\n');
  if (!lines.some((l) => OPEN.test(l.trim()))) {
    return { framing: [], data: lines.filter((l) => l.trim() !== '') };
  }
  const framing: string[] = [];
  const data: string[] = [];
  let inside = false;
  for (const raw of lines) {
    const l = raw.trim();
    if (OPEN.test(l)) inside = true;
    else if (CLOSE.test(l)) inside = false;
    else if (l !== '') (inside ? data : framing).push(raw.trimEnd());
  }
  return { framing: framing.filter((l) => !/^The block below is data/.test(l)), data };
}

/** Message ids in the order they appear. */
export function messageIds(text: string): string[] {
  const ids = [
    ...[...text.matchAll(/\bid=([A-Za-z0-9_-]{1,128})/g)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(/"(?:id|messageId)"\s*:\s*"([A-Za-z0-9_-]{1,128})"/g)].map(
      (m) => m[1] ?? '',
    ),
  ];
  return [...new Set(ids.filter((id) => id !== ''))];
}

export interface MailLine {
  sender: string;
  subject: string;
}

function shortName(person: string): string {
  const name = person.replace(/\s*<[^>]*>\s*$/, '').trim();
  return name || person.trim();
}

/** Senders and subjects from search lines (`From: … · Subject: … · id=…`) or JSON. */
export function mailLines(text: string): MailLine[] {
  const found: MailLine[] = [];
  for (const m of text.matchAll(/From: (.+?) · Subject: (.+?) · id=/g)) {
    found.push({ sender: shortName(m[1] ?? ''), subject: (m[2] ?? '').trim() });
  }
  if (found.length > 0) return found;
  try {
    const value: unknown = JSON.parse(text);
    const list = Array.isArray(value)
      ? value
      : ((value as { messages?: unknown } | null)?.messages ?? []);
    if (!Array.isArray(list)) return [];
    for (const item of list) {
      const r = item as { subject?: unknown; from?: unknown };
      if (typeof r.subject !== 'string') continue;
      const from = r.from as { name?: unknown; email?: unknown } | string | undefined;
      const sender =
        typeof from === 'string' ? from : String(from?.name ?? from?.email ?? 'someone');
      found.push({ sender: shortName(sender), subject: r.subject });
    }
  } catch {
    return [];
  }
  return found;
}

/** The sender, subject and opening sentence of a read message. */
export function readMessage(
  text: string,
): { sender: string; subject: string; opening: string } | null {
  const { data } = splitResult(text);
  const from = data.find((l) => l.startsWith('From: '));
  const subject = data.find((l) => l.startsWith('Subject: '));
  if (!from || !subject) return null;
  const blank = data.findIndex((l) => /^id=/.test(l.trim()));
  const body = data
    .slice(blank + 1)
    .filter((l) => !/^(?:Attachments|Date|To|Cc): /.test(l))
    .join(' ');
  const opening = /^(.{1,200}?[.!?])(?:\s|$)/.exec(body.trim())?.[1] ?? body.trim().slice(0, 160);
  return {
    sender: shortName(from.slice('From: '.length)),
    subject: subject.slice('Subject: '.length).trim(),
    opening,
  };
}
