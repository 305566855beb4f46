// RMA numbers come from a per-shop counter row (never random): readable on a label and over the phone.

export const FIRST_RMA_SEQUENCE = 1001;

export function rmaNumber(prefix: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`An RMA sequence is a positive whole number, got ${sequence}`);
  return `${prefix}${sequence}`;
}

/** What a customer or merchant typed as an RMA number, normalised (trimmed, upper case), or null when it cannot be one. */
export function parseRmaNumber(input: string): string | null {
  const value = input.trim().toUpperCase();
  return /^[A-Z]{1,4}\d{1,12}$/.test(value) ? value : null;
}
