import { parseAmazonOrderReport, type AmazonReportOrder } from "~/domain/imports/amazon-order-report";
import { ingestAmazonOrder, recordShipped, recordShippedMany } from "../use-cases/ingest-amazon-order";
import { ingestNewOrders } from "../use-cases/ingest-order-batch";
import type { ImportDocument } from "~/domain/imports/import-file";
import type { DocumentOutcome, ImportFormat } from "./import-format";

// Amazon's flat-file order reports (ADR 0016): parsed by app/domain/imports/amazon-order-report.ts, each order
// taken in exactly as the Orders API poll takes it (ingest-amazon-order.ts), so an order read both ways is one.

const OUTCOME: Record<string, DocumentOutcome> = { created: "created", updated: "updated", stale: "unchanged", cancelled: "cancelled" };

export const amazonOrdersReportFormat: ImportFormat<AmazonReportOrder> = {
  id: "amazon-orders-report",
  label: "Amazon order report (tab-separated flat file)",
  channelKind: "amazon",
  accept: ".txt,.tsv,.csv,text/plain,text/tab-separated-values",
  parse: (bytes, opts) => parseAmazonOrderReport(bytes, opts),
  async apply(channel, document, actor) {
    const { outcome, shipped } = await ingestAmazonOrder(channel, document.payload, actor);
    const kind = OUTCOME[outcome.kind] ?? "updated";
    const said = kind === "unchanged" ? "unchanged (we already hold this state of it or a newer one)" : kind === "created" && document.payload.order.cancelledAt ? "created, cancelled" : kind;
    const extra = [shipped ? "shipped units recorded" : null, document.note].filter(Boolean).join("; ");
    return { outcome: kind, orderId: outcome.orderId, message: `order ${document.key}: ${said}${extra ? `; ${extra}` : ""}` };
  },
  // New orders in batches (ADR 0032): merchant-fulfilled ones routed, each then followed by the units Amazon reports
  // shipped, as ingestAmazonOrder does after its intake; FBA orders and those arriving cancelled stored unrouted, as
  // ingestAmazonOrder stores them. Anything the batch leaves (updates, cancels of held orders, …) goes through `apply`.
  async applyBatch(channel, documents, actor) {
    const fulfilledByChannel = new Set(documents.filter((d) => d.payload.fulfilledByAmazon).map((d) => d.payload.order));
    const taken = await ingestNewOrders(channel, documents.map((d) => d.payload.order), { actor, unrouted: { fulfilledByChannel } });
    const byDocument = new Map(documents.map((d, i) => [d, taken[i]]));
    // The shipped units of the orders just taken in, a group of orders per transaction (recordShippedMany: one
    // commit per group instead of one per order), in document order. A group that fails is retried one by one, so
    // the error is the order's own, as `apply` would meet it.
    const withShipped = documents.filter((d) => byDocument.get(d) && !d.payload.fulfilledByAmazon && !d.payload.order.cancelledAt && d.payload.shipped.length > 0);
    const shipped = new Set<ImportDocument<AmazonReportOrder>>();
    for (let i = 0; i < withShipped.length; i += SHIPPED_PER_TRANSACTION) {
      const group = withShipped.slice(i, i + SHIPPED_PER_TRANSACTION);
      let consumed: boolean[];
      try {
        // Each was created by this batch (ingestNewOrders takes only new orders): it has consumed nothing yet.
        consumed = await recordShippedMany(channel, group.map((d) => ({ orderId: d.payload.order.externalId, shipped: d.payload.shipped, created: d.payload.order.lines })), actor);
      } catch {
        consumed = [];
        for (const d of group) consumed.push(await recordShipped(channel, d.payload.order.externalId, d.payload.shipped, actor));
      }
      for (const [j, d] of group.entries()) if (consumed[j]) shipped.add(d);
    }
    return documents.map((d) => {
      const t = byDocument.get(d);
      if (!t) return null;
      if (t.status === "cancelled") return { outcome: "cancelled", orderId: t.orderId, message: `order ${d.key}: cancelled${d.note ? `; ${d.note}` : ""}` };
      const extra = [shipped.has(d) ? "shipped units recorded" : null, d.note].filter(Boolean).join("; ");
      return { outcome: "created", orderId: t.orderId, message: `order ${d.key}: created${extra ? `; ${extra}` : ""}` };
    });
  },
};

/** Orders whose shipped units are recorded in one transaction after a batch. */
const SHIPPED_PER_TRANSACTION = 100;
