import type { z } from "zod";
import type { ChannelOrder } from "./channel-order";

// Shared by every channel's order mapper: validate the payload, build the ChannelOrder, and turn any
// bad input (schema issues, an amount that is not a number) into a result naming what is wrong.

export type MapResult = { ok: true; order: ChannelOrder } | { ok: false; error: string };

export function mapValidated<S extends z.ZodTypeAny>(schema: S, input: unknown, build: (data: z.output<S>) => ChannelOrder): MapResult {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
  }
  try {
    return { ok: true, order: build(parsed.data) };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, error: error.message };
    throw error;
  }
}
