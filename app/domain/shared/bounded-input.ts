import { z } from "zod";
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from "./limits";

// The limits of limits.ts as zod fields, so every mapper of channel input and every API schema refuses the
// same things with the same words: the issue path names the field, the message names the limit.

/** Units on a line: a whole number from 0 to MAX_LINE_QUANTITY. */
export const lineQuantity = () =>
  z.number().int().min(0).max(MAX_LINE_QUANTITY, `more than the limit of ${MAX_LINE_QUANTITY} units on one line`);

/** Units on a line that must have some (receipts): 1 to MAX_LINE_QUANTITY. */
export const positiveLineQuantity = () => lineQuantity().min(1, "at least 1 unit");

/** Units added or removed on a line by an edit: at most MAX_LINE_QUANTITY either way. */
export const lineQuantityDelta = () =>
  z.number().int().min(-MAX_LINE_QUANTITY, `more than the limit of ${MAX_LINE_QUANTITY} units on one line`).max(MAX_LINE_QUANTITY, `more than the limit of ${MAX_LINE_QUANTITY} units on one line`);

/** The lines of a document (order, refund, fulfillment, edit): at most `max` (MAX_ORDER_LINES by default). */
export const documentLines = <T extends z.ZodTypeAny>(line: T, max = MAX_ORDER_LINES) => z.array(line).max(max, `more than the limit of ${max} lines`);
