/**
 * The database: one PostgreSQL dialect, embedded (PGlite in `DATA_DIR`) or a server
 * (`DATABASE_URL`), behind Kysely; the table types and the migrations. Imports nothing of
 * Tidings.
 */
export { type DatabaseHandle, openDatabase, openMemoryDatabase, wrapPglite } from './connect.ts';
export { type MigrateOutcome, migrateToLatest } from './migrate.ts';
export type * from './schema.ts';
