import { z } from "zod";

// What a seller gives the app to connect an Amazon channel (ADR 0011): their selling partner id, the
// marketplace the channel sells in, and the refresh token of their authorisation (Seller Central's app
// authorisation, or self-authorisation for a private app). Checked here; proven by an LWA exchange before it is kept.

const amazonId = (what: string) => z.string().trim().regex(/^[A-Z0-9]{8,20}$/, `${what} is 8–20 capital letters and digits (as Seller Central shows it)`);

export const amazonConnectionSchema = z
  .object({
    sellerId: amazonId("sellerId"),
    marketplaceId: amazonId("marketplaceId"),
    refreshToken: z.string().trim().startsWith("Atzr|", "refreshToken is the LWA refresh token Amazon issued for this app (it starts with Atzr|)").max(2_048),
  })
  .strict();
export type AmazonConnectionInput = z.infer<typeof amazonConnectionSchema>;

export type ConnectionCheck = { ok: true; connection: AmazonConnectionInput } | { ok: false; errors: string[] };

export function checkAmazonConnection(input: unknown): ConnectionCheck {
  const parsed = amazonConnectionSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, connection: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join(".") || "connection"}: ${i.message}`) };
}
