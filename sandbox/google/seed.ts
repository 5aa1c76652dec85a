/**
 * Loads a seed folder: `seed.json` (reference Monday, OAuth clients, users) and, per user,
 * `<email>/mail` and `<email>/calendar`, shifted in whole weeks (so weekdays stay put) so
 * that the reference week is the current week in that user's own time zone. Events keep
 * their place in that week (today, tomorrow, later this week); mail is moved back by
 * further whole weeks until none of it is dated after the load.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import type { SandboxUser, SeedShift } from './context.ts';
import type { SandboxState } from './sandbox-state.ts';

const SeedFile = z.object({
  referenceMonday: z.iso.date(),
  clients: z.array(
    z.object({
      client_id: z.string().min(1),
      client_secret: z.string().min(1),
      redirect_uris: z.array(z.string()).default([]),
      allow_loopback_callback: z.boolean().default(false),
    }),
  ),
  users: z.array(
    z.object({
      email: z.email(),
      name: z.string().min(1),
      sub: z.string().regex(/^\d{1,255}$/),
      timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone'),
    }),
  ),
});
export type SeedFile = z.infer<typeof SeedFile>;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whole days from `referenceMonday` to the Monday of the week `now` falls in, in
 * `timeZone` (Sunday noon UTC is already next week in Auckland).
 */
export function seedShift(referenceMonday: string, now: Date, timeZone: string): SeedShift {
  const reference = Date.parse(`${referenceMonday}T00:00:00Z`);
  if (new Date(reference).getUTCDay() !== 1) {
    throw new Error(`seed.json: referenceMonday ${referenceMonday} is not a Monday`);
  }
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid) throw new Error(`seed.json: unknown time zone ${timeZone}`);
  const monday = local.startOf('week').toISODate();
  return {
    days: Math.round((Date.parse(`${monday}T00:00:00Z`) - reference) / DAY_MS),
    notAfter: now.getTime(),
  };
}

export async function readSeedFile(seedDir: string): Promise<SeedFile> {
  const path = join(seedDir, 'seed.json');
  const parsed = SeedFile.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface SeedLoaders {
  loadMail(email: string, dir: string, shift: SeedShift): Promise<void>;
  loadCalendar(email: string, dir: string, shift: SeedShift): Promise<void>;
}

/** Puts the seed's clients and users into `state` and loads every user's mail and calendar. */
export async function applySeed(
  state: SandboxState,
  loaders: SeedLoaders,
  seedDir: string,
  now: Date,
): Promise<void> {
  const seed = await readSeedFile(seedDir);
  for (const client of seed.clients) {
    state.clients.set(client.client_id, {
      clientId: client.client_id,
      clientSecret: client.client_secret,
      redirectUris: client.redirect_uris,
      allowLoopbackCallback: client.allow_loopback_callback,
    });
  }
  for (const entry of seed.users) {
    const user: SandboxUser = { ...entry, email: entry.email.toLowerCase() };
    state.users.set(user.email, user);
  }
  for (const user of state.users.values()) {
    const shift = seedShift(seed.referenceMonday, now, user.timeZone);
    await loaders.loadMail(user.email, join(seedDir, user.email, 'mail'), shift);
    await loaders.loadCalendar(user.email, join(seedDir, user.email, 'calendar'), shift);
  }
}
