import { z } from "zod";

// What a channel sells from and how much it holds back (Channel.config), validated: never free JSON.

const units = z.number().int().min(0).max(1_000_000);

/** How much of what a channel could sell it keeps back, so a figure it shows late does not oversell. */
export const bufferSettingSchema = z.discriminatedUnion("kind", [
  /** A fixed number of units. */
  z.object({ kind: z.literal("units"), units }).strict(),
  /** A share of what is available in the channel's locations, rounded up. */
  z.object({ kind: z.literal("percent"), percent: z.number().min(0).max(100) }).strict(),
  /**
   * Enough to cover, in `serviceLevel` of cases, what the other channels sell while this channel still shows an
   * old figure (their sales over the last `windowHours`, during this channel's measured p95 push-to-visible lag),
   * kept between `min` and `max`.
   */
  z
    .object({
      kind: z.literal("adaptive"),
      min: units,
      max: units,
      serviceLevel: z.number().gt(0.5).lt(1).default(0.95),
      /** Hours of the other channels' sales the velocity is measured over (1 to 168). */
      windowHours: z.number().int().min(1).max(168).default(24),
    })
    .strict(),
]).superRefine((b, ctx) => {
  if (b.kind === "adaptive" && b.min > b.max) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["min"], message: "min must not exceed max" });
});
export type BufferSetting = z.infer<typeof bufferSettingSchema>;

export const channelConfigSchema = z
  .object({
    /** The locations whose stock this channel sells (our location ids); null: every active location. */
    locationIds: z.array(z.string().min(1)).max(500).nullable().default(null),
    /** Sell incoming stock (open purchase orders) before it arrives, promising its expected date. */
    preorders: z.boolean().default(false),
    buffer: bufferSettingSchema.default({ kind: "units", units: 0 }),
    /** Per-SKU buffers that replace the channel's own for that SKU. */
    skuBuffers: z.record(z.string().min(1), bufferSettingSchema).default({}),
  })
  .strict();
export type ChannelConfig = z.infer<typeof channelConfigSchema>;

export const DEFAULT_CHANNEL_CONFIG: ChannelConfig = channelConfigSchema.parse({});

export type ConfigCheck = { ok: true; config: ChannelConfig } | { ok: false; errors: string[] };

/** A stored or submitted configuration, checked; what is wrong is said per field. */
export function checkChannelConfig(input: unknown): ConfigCheck {
  const parsed = channelConfigSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`) };
}

/** The buffer that applies to one SKU on this channel. */
export function bufferFor(config: ChannelConfig, sku: string): BufferSetting {
  return config.skuBuffers[sku] ?? config.buffer;
}

/**
 * Channel kinds whose figures the app sends (ADR 0010, 0011; Amazon once a seller has authorised the app); the
 * others read them (wholesale and manual, via the API).
 */
export const PUSHED_CHANNEL_KINDS = ["shopify", "amazon"] as const;
