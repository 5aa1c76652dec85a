export { type DatabaseHandle, openDatabase, openMemoryDatabase, wrapPglite } from './connect.ts';
export { type MigrateOutcome, migrateToLatest } from './migrate.ts';
export type * from './schema.ts';
