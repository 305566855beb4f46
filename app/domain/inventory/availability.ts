// Available to promise at one location: on hand less what orders hold less the safety stock the merchant
// keeps back. The one definition in JavaScript; SQL uses the same fragment (app/.server/db/availability-sql.ts).

export interface StockBuckets {
  onHand: number;
  reserved: number;
  safety: number;
}

export function available(level: StockBuckets): number {
  return level.onHand - level.reserved - level.safety;
}
