/**
 * The one error type of `tidings backup` and `tidings restore`: a stable code from a closed
 * union and a sentence that says what is wrong and what to do. Messages name files and
 * schema versions, never a key or the contents of the database.
 */

export const BACKUP_ERROR_CODES = [
  /** The command was called wrongly (exit code 2). */
  'usage',
  /** DATABASE_URL is set: PostgreSQL's own tools do this. */
  'postgres',
  /** There is no embedded database in DATA_DIR to back up. */
  'no_database',
  /** The backup file exists already (and `--force` was not given). */
  'file_exists',
  /** The file cannot be read or written where it was asked for. */
  'file_unusable',
  /** The file is not a Tidings backup at all. */
  'not_a_backup',
  /** The file is shorter than its header says: cut off while copied or written. */
  'truncated',
  /** The payload does not match its checksum. */
  'corrupted',
  /** The file was made by a newer backup format than this version reads. */
  'newer_format',
  /** The backed-up schema cannot be brought to this version's (a newer Tidings made it). */
  'schema_mismatch',
  /** DATA_DIR already holds a database: restore only into an empty one. */
  'not_empty',
  /** A server runs on DATA_DIR (its admin socket answers). */
  'server_running',
] as const;

export type BackupErrorCode = (typeof BACKUP_ERROR_CODES)[number];

export class BackupError extends Error {
  readonly code: BackupErrorCode;

  constructor(code: BackupErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BackupError';
    this.code = code;
  }
}
