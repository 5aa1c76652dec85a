/**
 * New-mail alerts: the watch rules, the cursors polls read from, and alerts held through
 * quiet hours, in Tidings' own database.
 */
export { createWatchStore, DEFAULT_WATCH_LIMIT } from './store.ts';
export type { PauseReason, ScanStart, WatchStore } from './store.ts';
export { isQuiet, minutesOf, type QuietHours } from './quiet-hours.ts';
