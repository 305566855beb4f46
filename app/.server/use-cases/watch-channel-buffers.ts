import { bufferChange, type BufferFigures } from "~/domain/integrations/buffer-crossing";
import { audit } from "../db/audit";
import { markAboveBuffer, markUnderBuffer, variantsUnderBuffer } from "../db/automation-sql";
import { database } from "../db/database";
import type { ChannelRow } from "../db/shops";

// The channel buffer watch (ADR 0037): where a channel's figures are computed for a push (the Shopify and Amazon
// pushers), each SKU's sellable stock is compared with the channel's buffer; a SKU that crossed down to (or under) it
// writes one audit event `stock.below_buffer` — the automation sweep turns it into the Flow trigger
// "stock-under-buffer" and the webhook topic stock.below_buffer. The watch row's compare-and-set makes it once per
// crossing; only SKUs whose state changed are written (nothing per push otherwise).

export async function watchChannelBuffers(shopId: string, channel: ChannelRow, figures: ReadonlyMap<string, BufferFigures>, skus: ReadonlyMap<string, string>, now = new Date()): Promise<{ crossed: number }> {
  const db = database();
  const ids = [...figures.keys()];
  if (ids.length === 0) return { crossed: 0 };
  const below = await variantsUnderBuffer(db, shopId, channel.id, ids);
  const changes = ids.map((id) => ({ id, change: bufferChange(below.has(id), figures.get(id)!) })).filter((c) => c.change !== null);
  if (changes.length === 0) return { crossed: 0 };
  return db.transaction(async (tx) => {
    let crossed = 0;
    for (const { id, change } of changes) {
      if (change === "back_above") {
        await markAboveBuffer(tx, shopId, channel.id, id, now);
        continue;
      }
      const crossing = await markUnderBuffer(tx, shopId, channel.id, id, now);
      if (crossing === null) continue; // another push recorded this crossing
      const f = figures.get(id)!;
      await audit(tx, shopId, "system", "stock.below_buffer", { type: "variant", id }, {
        channelId: channel.id, channelName: channel.name, channelKind: channel.kind, variantId: id, sku: skus.get(id) ?? null,
        sellable: f.available + f.incoming, buffer: f.buffer.units, crossing, key: `${channel.id}:${id}:${crossing}`,
      });
      crossed += 1;
    }
    return { crossed };
  });
}
