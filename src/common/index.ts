/**
 * Small helpers every part may use: HTML escaping and constant-time secret comparison.
 * Imports nothing of Tidings.
 */
export { escapeHtml } from './html.ts';
export { secretEquals } from './secret-equals.ts';
