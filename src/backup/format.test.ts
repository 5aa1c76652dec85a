/** The backup file's header: what it records, and each way a file is refused. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackupError } from './backup-error.ts';
import { decodeBackup, encodeHeader } from './format.ts';

const payload = Buffer.from('the database, packed');
const about = {
  tidingsVersion: '1.2.3',
  schema: '0006-chat-context',
  createdAt: '2026-01-02T03:04:05.000Z',
};
const file = Buffer.concat([encodeHeader(about, payload), payload]);

/** The code and sentence a decode fails with. */
function refusal(bytes: Buffer): { code: string; message: string } | null {
  try {
    decodeBackup(bytes, 'x.backup');
    return null;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe('the backup file format', () => {
  it('reads back the header and payload it wrote', () => {
    const decoded = decodeBackup(file, 'x.backup');
    expect({ ...decoded, payload: decoded.payload.toString() }).toStrictEqual({
      header: {
        ...about,
        database: 'pglite',
        payload: {
          encoding: 'pglite-data-dir+tar+gzip',
          bytes: payload.length,
          sha256: createHash('sha256').update(payload).digest('hex'),
        },
      },
      payload: 'the database, packed',
    });
  });

  it('says which way a file is wrong', () => {
    const headerEnd = file.indexOf(0x0a, file.indexOf(0x0a) + 1) + 1;
    const damagedHeader = Buffer.from(file);
    damagedHeader[headerEnd - 3] = 0x7b; // a brace where the JSON closes
    expect([
      refusal(Buffer.alloc(0)),
      refusal(file.subarray(0, 9)),
      refusal(file.subarray(0, 16)),
      refusal(file.subarray(0, 40)),
      refusal(file.subarray(0, file.length - 1)),
      refusal(Buffer.concat([file, Buffer.from('!')])),
      refusal(damagedHeader),
      refusal(Buffer.from('%PDF-1.7\n')),
    ]).toStrictEqual([
      { code: 'truncated', message: 'x.backup is empty: it was not copied or written.' },
      {
        code: 'truncated',
        message: 'x.backup is cut off: it was not copied or written completely.',
      },
      {
        code: 'truncated',
        message: 'x.backup is cut off: it was not copied or written completely.',
      },
      {
        code: 'truncated',
        message: 'x.backup is cut off: it was not copied or written completely.',
      },
      {
        code: 'truncated',
        message: `x.backup is cut off (${payload.length - 1} of ${payload.length} bytes): it was not copied or written completely.`,
      },
      {
        code: 'corrupted',
        message:
          'x.backup has 1 byte(s) more than its header says: it is not the backup Tidings wrote.',
      },
      {
        code: 'corrupted',
        message: 'x.backup has a damaged header: it is not the backup Tidings wrote.',
      },
      {
        code: 'not_a_backup',
        message: 'x.backup is not a Tidings backup (it does not start with "tidings-backup/").',
      },
    ]);
  });
});
