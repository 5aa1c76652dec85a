/**
 * The Google sandbox's Calendar API v3: an in-memory calendar store per user, the seed
 * loader for `.ics` files, and the read routes the core registers on its server.
 *
 * Imports from the rest of the sandbox only `../context.ts`, the contract with the core;
 * nothing from `src/`.
 */
export { loadCalendarSeed } from './seed-loader.ts';
export { registerCalendarRoutes } from './routes.ts';
export {
  type AccessRole,
  type CalendarInput,
  type CalendarMeta,
  type CalendarStore,
  type CalendarStoreOptions,
  createCalendarStore,
  type StoredCalendar,
} from './store.ts';
export { IcsParseError, parseIcs } from './ics-parse.ts';
