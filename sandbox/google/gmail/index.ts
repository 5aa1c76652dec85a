/**
 * The Google sandbox's Gmail API v1: an in-memory store of parsed mail per user, the seed
 * loader, and the read routes (messages, threads, labels, profile, history, batch) that
 * answer as Gmail does. The sandbox core uses exactly these exports.
 *
 * Imports from the rest of the sandbox only `../context.ts`, the contract with the core;
 * nothing from `src/`.
 */
export type { LabelColor, UserLabel } from './labels.ts';
export { type MimePart, parseMime } from './mime-parser.ts';
export { registerGmailRoutes } from './routes.ts';
export { loadGmailSeed } from './seed-loader.ts';
export {
  createGmailStore,
  type GmailStore,
  type GmailStoreOptions,
  type Mailbox,
  type StoredMessage,
} from './store.ts';
