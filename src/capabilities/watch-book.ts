/**
 * A watch rule as every front door shows it, and the `WatchBook` through which the watch
 * capabilities reach the user's rules (bound by the front door to the user and, for a new
 * rule, to the connection it watches).
 */
import { z } from 'zod';

/** A rule as every front door shows it. */
export const WatchRuleSchema = z.object({
  id: z.string(),
  query: z.string(),
  connectionId: z.string(),
  account: z.string().describe('The Google account it watches'),
  createdAt: z.string().describe('ISO 8601'),
  paused: z
    .enum(['reauth_required', 'not_connected', 'scope_missing'])
    .nullable()
    .describe('Why alerts stopped until the account is reconnected; null while they run'),
});
export type WatchRule = z.infer<typeof WatchRuleSchema>;

/** The user's rules, as the capabilities reach them. */
export interface WatchBook {
  /** The rule on the bound connection, added (or the same query's rule already there). */
  add(query: string, sinceHistoryId: string): Promise<{ rule: WatchRule; created: boolean }>;
  /** Every rule of the user, on every connection, oldest first. */
  list(): Promise<WatchRule[]>;
  /** Removes one of the user's rules; null when they have none by that id. */
  remove(id: string): Promise<WatchRule | null>;
  /** How many rules a user may have. */
  readonly limit: number;
}
