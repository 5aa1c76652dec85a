/**
 * What an administrative command runs against: the open services and the domain parts,
 * whether the command runs in the CLI's own process or inside the running server.
 */
import type { Parts } from '../parts.ts';
import type { Services } from '../services.ts';

export type AdminContext = Services & { parts: Parts };

/** One command: its arguments in, the lines to print out (the same either way). */
export type AdminCommand<C = AdminContext> = (context: C, args: string[]) => Promise<string[]>;
