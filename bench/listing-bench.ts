/**
 * Listing 25 messages when every Gmail call takes 50 ms, four ways, in the same run:
 * - ours: the `gmail.search` capability (one list, then one batch of metadata gets);
 * - naive: one list, then one `messages.get` after another;
 * - wave: our client's list, then all 25 gets in parallel (the design batch replaced);
 * - official: `@googleapis/gmail` (list, then 25 parallel gets; it has no batch).
 * Round trips are the sequential depth of the Google requests actually made (from their
 * start and end times), HTTP requests and quota units come from the same run. Without
 * latency, listings per second compare the client-side cost of the strategies.
 *
 * Those figures are of a first listing: the kept message metadata is dropped before each
 * run of ours and of our client (the profile and time zone stay kept). The repeat figures
 * list the same page again with the metadata kept: one batch of `messages.list` and
 * `history.list`, against the first listing's round trips and units as the baseline.
 */
import { gmail as officialGmail, auth as officialAuth } from '@googleapis/gmail';
import { forgetConnection } from '../src/google/connection-memo.ts';
import { createGoogleApi, mapLimited } from '../src/google/index.ts';
import type { GoogleApi } from '../src/google/index.ts';
import type { BenchStack, ConnectedUser } from './bench-stack.ts';
import { createDirectGoogle } from './direct-google.ts';
import { sequentialDepth } from './google-timing.ts';
import { median, repeat, sequential, timed } from './measure.ts';
import { type Figures, versus } from './report.ts';
import { gmailSearch } from '../src/capabilities/index.ts';

const PAGE_SIZE = 25;
const LATENCY_MS = 50;
const RUNS = 3;
const CPU_LISTINGS = 40;
const HEADERS = ['From', 'To', 'Subject', 'Date'];

interface Measured {
  wallMs: number;
  roundTrips: number;
  httpRequests: number;
  quotaUnits: number;
}

export async function listingFigures(bench: BenchStack, user: ConnectedUser): Promise<Figures> {
  const { frontDoor, broker } = bench.stack.app.parts;
  const token = await broker.accessToken(user.connectionId);
  const fetch = bench.timing.fetch;
  const direct = createDirectGoogle(bench.googleUrl, () => token, fetch);
  const ourClient: GoogleApi = createGoogleApi({
    apiRoot: bench.googleUrl,
    tokens: broker,
    connectionId: user.connectionId,
    fetch,
  });
  const credentials = new officialAuth.OAuth2();
  credentials.setCredentials({ access_token: token });
  const official = officialGmail({
    version: 'v1',
    auth: credentials,
    rootUrl: `${bench.googleUrl}/`,
    // The same transport as ours, so the figure compares the client libraries.
    fetchImplementation: fetch,
  });

  const expect = (count: number, who: string) => {
    if (count !== PAGE_SIZE) throw new Error(`${who} listed ${count} messages, not ${PAGE_SIZE}`);
  };
  const search = async () => {
    const page = (await frontDoor.invoke(user.userId, gmailSearch, {
      pageSize: PAGE_SIZE,
    })) as { messages: unknown[] };
    expect(page.messages.length, 'gmail.search');
  };
  /** A first listing: nothing of the page's metadata kept (in every memo of the process). */
  const forgetMessages = () => forgetConnection(user.connectionId, 'messages');
  const contenders: Record<'ours' | 'naive' | 'wave' | 'official' | 'client', () => Promise<void>> =
    {
      ours: async () => {
        forgetMessages();
        await search();
      },
      naive: async () => expect(await direct.listMessages('', PAGE_SIZE, 'sequential'), 'naive'),
      client: async () => {
        forgetMessages();
        const page = await ourClient.gmail.listMessagesWith(
          { maxResults: PAGE_SIZE },
          { format: 'metadata', metadataHeaders: HEADERS },
        );
        expect(page.messages.length, 'our client');
      },
      wave: async () => {
        const list = await ourClient.gmail.listMessages({ maxResults: PAGE_SIZE });
        const refs = list.messages ?? [];
        const got = await mapLimited(refs, PAGE_SIZE, (ref) =>
          ourClient.gmail.getMessage(ref.id, { format: 'metadata', metadataHeaders: HEADERS }),
        );
        expect(got.length, 'the wave');
      },
      official: async () => {
        const list = await official.users.messages.list({ userId: 'me', maxResults: PAGE_SIZE });
        const got = await Promise.all(
          (list.data.messages ?? []).map((ref) =>
            official.users.messages.get({
              userId: 'me',
              id: ref.id ?? '',
              format: 'metadata',
              metadataHeaders: HEADERS,
            }),
          ),
        );
        expect(got.length, 'the official client');
      },
    };

  const units = async () => (await bench.stats()).quotaUnits[user.email] ?? 0;
  const measure = async (listing: () => Promise<void>): Promise<Measured> => {
    const before = await units();
    const { exchanges } = await bench.timing.during(listing);
    const quotaUnits = (await units()) - before;
    const walls: number[] = [];
    await repeat(RUNS, async () => {
      walls.push((await timed(listing)).ms);
    });
    return {
      wallMs: median(walls),
      roundTrips: sequentialDepth(exchanges),
      httpRequests: exchanges.length,
      quotaUnits,
    };
  };

  // Warm: the profile and time zone are kept per connection after the first listing.
  await contenders.ours();
  await bench.injectLatency('/gmail/', LATENCY_MS);
  const slow: Partial<Record<keyof typeof contenders, Measured>> = {};
  let again: Measured;
  try {
    for (const name of ['ours', 'naive', 'wave', 'official', 'client'] as const) {
      slow[name] = await measure(contenders[name]);
    }
    // The same page again, its metadata kept from the listing before.
    await search();
    again = await measure(search);
  } finally {
    await bench.clearFaults();
  }
  const perSecond = async (listing: () => Promise<void>) => {
    await sequential(5, listing);
    return (await sequential(CPU_LISTINGS, listing)).perSecond;
  };
  const fast = {
    client: await perSecond(contenders.client),
    wave: await perSecond(contenders.wave),
    official: await perSecond(contenders.official),
  };
  const { ours, naive, wave, official: theirs, client } = slow as Record<string, Measured>;
  return {
    'gmail.listing_25_wall_ms': versus(ours!.wallMs, 'ms', naive!.wallMs),
    'gmail.listing_25_round_trips': versus(ours!.roundTrips, 'round trips', naive!.roundTrips),
    'gmail.listing_25_http_requests': versus(ours!.httpRequests, 'requests', naive!.httpRequests),
    'gmail.listing_25_quota_units': versus(ours!.quotaUnits, 'units', naive!.quotaUnits),
    'gmail.listing_25_repeat_round_trips': versus(
      again.roundTrips,
      'round trips',
      ours!.roundTrips,
    ),
    'gmail.listing_25_repeat_units': versus(again.quotaUnits, 'units', ours!.quotaUnits),
    'gmail.batch_vs_wave_wall_ms': versus(client!.wallMs, 'ms', wave!.wallMs),
    'gmail.batch_vs_wave_round_trips': versus(client!.roundTrips, 'round trips', wave!.roundTrips),
    'gmail.batch_vs_wave_listings_per_second': versus(fast.client, 'listings/s', fast.wave),
    'gmail.client_vs_official_wall_ms': versus(client!.wallMs, 'ms', theirs!.wallMs),
    'gmail.client_vs_official_round_trips': versus(
      client!.roundTrips,
      'round trips',
      theirs!.roundTrips,
    ),
    'gmail.client_vs_official_listings_per_second': versus(
      fast.client,
      'listings/s',
      fast.official,
    ),
  };
}
