/**
 * New-mail alerts, the work of one poll: read the connection's cursor and rules, scan the
 * mail added since (`watch.scan`: 2 quota units when nothing arrived), and move the
 * cursor on together with the alerts — queued for the chat, or held while the user's quiet
 * hours last. A connection that cannot be read (to reconnect, disconnected, Gmail not
 * granted) pauses its rules and the user is told once; a reconnect resumes them from
 * where they were. Held alerts leave as one digest once the quiet hours are over.
 */
import type { Alert } from '../capabilities/index.ts';
import { isTidingsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { UserRecord, UserStore } from '../users/index.ts';
import { isQuiet, type PauseReason, type ScanStart, type WatchStore } from '../watches/index.ts';
import type { ZoneResolver } from './briefing-zone.ts';

/** The scan of one connection, run the way every capability runs (`watch.scan`). */
export type WatchScan = (
  start: ScanStart,
) => Promise<{ historyId: string; restarted: boolean; alerts: Alert[] }>;

export interface WatchWorkDeps {
  watches: WatchStore;
  users: Pick<UserStore, 'get'>;
  scan: WatchScan;
  zones: ZoneResolver;
  logger: Logger;
  now: () => Date;
  /**
   * Whether alerts can reach the user (a Telegram chat, a bot); when not, the cursor
   * still moves on but nothing is queued, so no mail content waits for a chat that never
   * comes. Default: always.
   */
  canDeliver?: (user: UserRecord) => boolean;
  onNotify?: () => void;
}

export type PollOutcome =
  | 'idle'
  | 'quiet'
  | 'alerted'
  | 'held'
  | 'restarted'
  | 'paused'
  | 'raced'
  | 'error';

const PAUSES: readonly string[] = ['reauth_required', 'not_connected', 'scope_missing'];

export function createWatchWork(deps: WatchWorkDeps) {
  async function quietFor(user: UserRecord | null): Promise<boolean> {
    if (!user?.settings.quietHours) return false;
    const zone = (await deps.zones.zoneOf(user)) ?? 'UTC';
    return isQuiet(user.settings.quietHours, zone, deps.now());
  }

  return {
    /** Connections with rules not polled for `sinceMs`. */
    due: (sinceMs: number, limit: number) => deps.watches.due(sinceMs, limit),

    /** One poll of one connection. */
    async poll(connectionId: string): Promise<PollOutcome> {
      const start = await deps.watches.start(connectionId);
      if (!start) return 'idle';
      let scanned: Awaited<ReturnType<WatchScan>>;
      try {
        scanned = await deps.scan(start);
      } catch (error) {
        if (isTidingsError(error) && PAUSES.includes(error.code)) {
          if (await deps.watches.pause(start, error.code as PauseReason)) deps.onNotify?.();
          return 'paused';
        }
        deps.logger.warn(
          {
            connection: connectionId,
            err: isTidingsError(error) ? error.code : (error as Error)?.name,
          },
          'watch poll failed; it is tried again next interval',
        );
        return 'error';
      }
      const user = scanned.alerts.length > 0 ? await deps.users.get(start.userId) : null;
      const alerts = user && (deps.canDeliver?.(user) ?? true) ? scanned.alerts : ([] as Alert[]);
      const hold = alerts.length > 0 && (await quietFor(user));
      const moved = await deps.watches.advance(start, scanned.historyId, alerts, { hold });
      if (!moved) return 'raced';
      if (scanned.restarted) {
        deps.logger.info({ connection: connectionId }, 'watch history expired; restarted from now');
        return 'restarted';
      }
      if (alerts.length === 0) return 'quiet';
      if (hold) return 'held';
      deps.onNotify?.();
      return 'alerted';
    },

    /** Sends the digest of every user whose quiet hours are over; how many digests. */
    async digests(): Promise<number> {
      let sent = 0;
      for (const userId of await deps.watches.holding()) {
        const user = await deps.users.get(userId);
        if (user && (await quietFor(user))) continue;
        if ((await deps.watches.releaseDigest(userId)) > 0) sent++;
      }
      if (sent > 0) deps.onNotify?.();
      return sent;
    },
  };
}

export type WatchWork = ReturnType<typeof createWatchWork>;
