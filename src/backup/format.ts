/**
 * The backup file: a two-line text header, then the payload.
 *
 *     tidings-backup/1
 *     {"tidingsVersion":"…","schema":"0006-chat-context","createdAt":"…","database":"pglite",
 *      "payload":{"encoding":"pglite-data-dir+tar+gzip","bytes":123,"sha256":"…"}}
 *     <payload bytes>
 *
 * The first line names the format and its version; the second (one JSON line) says what
 * made the file and what the payload must be. `decodeBackup` refuses anything else with a
 * sentence: a foreign file, a newer format, a cut-off file, a payload that fails its
 * checksum. The header holds no secret.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BackupError } from './backup-error.ts';

export const BACKUP_FORMAT = 'tidings-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const PAYLOAD_ENCODING = 'pglite-data-dir+tar+gzip';

/** The header line is small; anything longer than this is not one of ours. */
const MAX_HEADER_BYTES = 16 * 1024;

const headerSchema = z.object({
  tidingsVersion: z.string(),
  /** The last migration applied to the backed-up database. */
  schema: z.string().nullable(),
  createdAt: z.string(),
  database: z.literal('pglite'),
  payload: z.object({
    encoding: z.literal(PAYLOAD_ENCODING),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});

export type BackupHeader = z.infer<typeof headerSchema>;

export interface DecodedBackup {
  header: BackupHeader;
  payload: Buffer;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The header bytes for a payload (the caller writes them, then the payload). */
export function encodeHeader(
  about: Pick<BackupHeader, 'tidingsVersion' | 'schema' | 'createdAt'>,
  payload: Uint8Array,
): Buffer {
  const header: BackupHeader = {
    ...about,
    database: 'pglite',
    payload: { encoding: PAYLOAD_ENCODING, bytes: payload.length, sha256: sha256Hex(payload) },
  };
  return Buffer.from(
    `${BACKUP_FORMAT}/${BACKUP_FORMAT_VERSION}\n${JSON.stringify(header)}\n`,
    'utf8',
  );
}

/** Checks a whole backup file's bytes; `name` is how the sentences call the file. */
export function decodeBackup(bytes: Buffer, name: string): DecodedBackup {
  const foreign = new BackupError(
    'not_a_backup',
    `${name} is not a Tidings backup (it does not start with "${BACKUP_FORMAT}/").`,
  );
  if (bytes.length === 0) {
    throw new BackupError('truncated', `${name} is empty: it was not copied or written.`);
  }
  // The first line is short: only its first bytes are looked at, whatever the file is.
  const head = bytes.subarray(0, 32).toString('latin1');
  const magic = new RegExp(`^${BACKUP_FORMAT}/(\\d{1,6})(\n|$)`).exec(head);
  if (!magic) {
    if (`${BACKUP_FORMAT}/`.startsWith(head)) throw truncated(name);
    throw foreign;
  }
  const version = Number(magic[1]);
  if (version > BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      'newer_format',
      `${name} is a backup of format ${version}; this version of Tidings reads format ${BACKUP_FORMAT_VERSION}: restore it with a newer Tidings.`,
    );
  }
  if (magic[2] !== '\n') throw truncated(name);
  const firstEnd = magic[0].length - 1;
  const secondEnd = bytes.indexOf(0x0a, firstEnd + 1);
  if (secondEnd < 0) {
    if (bytes.length - firstEnd > MAX_HEADER_BYTES) throw foreign;
    throw truncated(name);
  }
  let header: BackupHeader;
  try {
    header = headerSchema.parse(JSON.parse(bytes.subarray(firstEnd + 1, secondEnd).toString()));
  } catch (error) {
    throw new BackupError(
      'corrupted',
      `${name} has a damaged header: it is not the backup Tidings wrote.`,
      { cause: error },
    );
  }
  const payload = bytes.subarray(secondEnd + 1);
  if (payload.length < header.payload.bytes) throw truncated(name, header, payload.length);
  if (payload.length > header.payload.bytes) {
    throw new BackupError(
      'corrupted',
      `${name} has ${payload.length - header.payload.bytes} byte(s) more than its header says: it is not the backup Tidings wrote.`,
    );
  }
  if (sha256Hex(payload) !== header.payload.sha256) {
    throw new BackupError(
      'corrupted',
      `${name} is damaged: its contents do not match the checksum in its header.`,
    );
  }
  return { header, payload };
}

function truncated(name: string, header?: BackupHeader, has?: number): BackupError {
  const sizes = header ? ` (${has} of ${header.payload.bytes} bytes)` : '';
  return new BackupError(
    'truncated',
    `${name} is cut off${sizes}: it was not copied or written completely.`,
  );
}
