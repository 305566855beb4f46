// Available stock in SQL, written once: on hand less what orders hold less the safety stock the merchant
// keeps back. Every statement that reads or guards availability uses this fragment, and the same rule in
// JavaScript is `available()` in app/domain/inventory/availability.ts; channel buffers apply on top of it.
export const AVAILABLE = `("onHand" - "reserved" - "safety")`;

/** The same, for a level table under an alias (`i.`). */
export function availableOf(alias: string): string {
  return `(${alias}."onHand" - ${alias}."reserved" - ${alias}."safety")`;
}
