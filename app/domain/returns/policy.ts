import { z } from "zod";

// A shop's return policy (issue 14): how long a customer has, what cannot come back, the conditions and
// reasons a return may give, where returns may be received, and how long an exchange's replacement is held.

export const DISPOSITIONS = ["restock", "qc_hold", "refurbish", "scrap"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export interface ReturnPolicy {
  /** Days a customer has, counted from the order's latest shipment (else the order date). */
  windowDays: number;
  excludedSkus: string[];
  /** Products carrying any of these tags cannot be returned. */
  excludedTags: string[];
  /** Products carrying this tag are final sale (null: no final-sale tag). */
  finalSaleTag: string | null;
  /** Conditions a customer may declare (the first is the default). */
  conditions: string[];
  reasons: string[];
  /** Locations that receive returns (our ids); empty: every active location. */
  receivingLocationIds: string[];
  /** An exchange's replacement stays reserved this many days after approval, waiting for the return. */
  exchangeHoldDays: number;
  /** RMA numbers are `${prefix}${n}`: R1001, R1002, … */
  rmaPrefix: string;
}

export function defaultReturnPolicy(): ReturnPolicy {
  return {
    windowDays: 30,
    excludedSkus: [],
    excludedTags: [],
    finalSaleTag: "final-sale",
    conditions: ["unopened", "opened", "damaged"],
    reasons: ["wrong_size", "not_as_described", "damaged", "changed_mind", "other"],
    receivingLocationIds: [],
    exchangeHoldDays: 14,
    rmaPrefix: "R",
  };
}

const words = z.array(z.string().trim().min(1).max(80)).max(200);
export const returnPolicySchema = z
  .object({
    windowDays: z.number().int().min(0).max(3650),
    excludedSkus: words,
    excludedTags: words,
    finalSaleTag: z.string().trim().min(1).max(80).nullable(),
    conditions: words.min(1),
    reasons: words.min(1),
    receivingLocationIds: words,
    exchangeHoldDays: z.number().int().min(1).max(365),
    rmaPrefix: z.string().regex(/^[A-Z]{1,4}$/, "1 to 4 capital letters"),
  })
  .strict();
