// Delivery date estimates on whole UTC days.
// A parcel leaves today when the order is placed before the location's carrier cut-off, else the next day;
// it then spends the service's transit days on the road. With `skipWeekends` (the default in routing)
// carriers neither pick up nor deliver on Saturday/Sunday: the ship day rolls to Monday and transit days
// count business days only. Public holidays are not modelled.

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) of an ISO date or timestamp. */
export function dayNumber(iso: string): number {
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(ms)) throw new Error(`invalid ISO date: ${iso}`);
  return Math.floor(ms / DAY_MS);
}

/** YYYY-MM-DD of a day number. Remembered: a batch of decisions names the same few days thousands of times. */
export function isoDate(day: number): string {
  let text = isoDays.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoDays.size >= 4_096) isoDays.clear();
    isoDays.set(day, text);
  }
  return text;
}

const isoDays = new Map<number, string>();

function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
  return weekday === 0 || weekday === 6;
}

function nextWorkingDay(day: number): number {
  let d = day;
  while (isWeekend(d)) d += 1;
  return d;
}

/** The day a location hands the parcel to the carrier. */
export function shipDay(placedAtIso: string, cutoffHourUtc: number, skipWeekends: boolean): number {
  const placedMs = Date.parse(placedAtIso);
  if (Number.isNaN(placedMs)) throw new Error(`invalid ISO timestamp: ${placedAtIso}`);
  const day = Math.floor(placedMs / DAY_MS);
  const hourOfDay = (placedMs - day * DAY_MS) / 3_600_000;
  let ship = hourOfDay < cutoffHourUtc ? day : day + 1;
  // Placed on a Saturday before cut-off still waits for Monday's pickup.
  if (skipWeekends) ship = nextWorkingDay(ship);
  return ship;
}

/** The delivery day after `transitDays` days in transit from `ship`. */
export function deliveryDay(ship: number, transitDays: number, skipWeekends: boolean): number {
  if (!skipWeekends) return ship + transitDays;
  let day = ship;
  for (let left = transitDays; left > 0; left -= 1) day = nextWorkingDay(day + 1);
  return day;
}
