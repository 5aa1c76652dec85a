/**
 * A user record: who a person is to Tidings (a Telegram account, a name, a zone, a locale
 * and settings), as every other part sees it.
 */
import type { User } from '../db/index.ts';

export interface UserSettings {
  /** `HH:MM` in the user's zone, or null when the daily briefing is off. */
  briefingTime?: string | null;
  /** New-mail alerts wait from `from` to `to` (`HH:MM` in the user's zone), then come as one digest. */
  quietHours?: { from: string; to: string } | null;
}

export interface UserRecord {
  id: string;
  telegramUserId: string | null;
  displayName: string;
  /** IANA zone chosen by the user; null → the Google Calendar setting. */
  timeZone: string | null;
  locale: string | null;
  settings: UserSettings;
  createdAt: Date;
}

export function toUserRecord(row: User): UserRecord {
  const settings = (
    typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings
  ) as UserSettings;
  return {
    id: row.id,
    telegramUserId: row.telegram_user_id,
    displayName: row.display_name,
    timeZone: row.time_zone,
    locale: row.locale,
    settings: settings ?? {},
    createdAt: row.created_at,
  };
}
