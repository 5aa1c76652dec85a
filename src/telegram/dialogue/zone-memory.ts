/**
 * The Calendar time zone capabilities report, remembered per user (bounded, least
 * recently used leave first), so free text can be read in the user's zone before the
 * capability that answers it runs.
 */

export interface ZoneMemory {
  get(userId: string): string | undefined;
  remember(userId: string, zone: string): void;
}

export function createZoneMemory(max = 10_000): ZoneMemory {
  const zones = new Map<string, string>();
  return {
    get(userId) {
      const zone = zones.get(userId);
      if (zone !== undefined) {
        zones.delete(userId);
        zones.set(userId, zone);
      }
      return zone;
    },
    remember(userId, zone) {
      zones.delete(userId);
      zones.set(userId, zone);
      if (zones.size > max) {
        const oldest = zones.keys().next();
        if (!oldest.done) zones.delete(oldest.value);
      }
    },
  };
}
