/**
 * Loads a seed folder: `seed.json` (reference Monday, OAuth clients, users) and, per user,
 * `<email>/mail` and `<email>/calendar`, shifted so the reference week is the current
 * week (whole weeks, so weekdays stay put).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
      timeZone: z.string().min(1),
    }),
  ),
});
export type SeedFile = z.infer<typeof SeedFile>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `referenceMonday` to the Monday (UTC) of the week of `now`. */
export function seedShift(referenceMonday: string, now: Date): SeedShift {
  const reference = Date.parse(`${referenceMonday}T00:00:00Z`);
  if (new Date(reference).getUTCDay() !== 1) {
    throw new Error(`seed.json: referenceMonday ${referenceMonday} is not a Monday`);
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY_MS;
  return { days: Math.round((monday - reference) / DAY_MS) };
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
  const shift = seedShift(seed.referenceMonday, now);
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
    await loaders.loadMail(user.email, join(seedDir, user.email, 'mail'), shift);
    await loaders.loadCalendar(user.email, join(seedDir, user.email, 'calendar'), shift);
  }
}
