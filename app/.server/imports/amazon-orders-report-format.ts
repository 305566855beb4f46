import { parseAmazonOrderReport, type AmazonReportOrder } from "~/domain/imports/amazon-order-report";
import { ingestAmazonOrder, recordShipped } from "../use-cases/ingest-amazon-order";
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
  // Plain new merchant-fulfilled orders in batches (ADR 0032), each then followed by the units Amazon reports
  // shipped, as ingestAmazonOrder does after its intake; FBA orders, and anything the batch leaves, go through `apply`.
  async applyBatch(channel, documents, actor) {
    const eligible = documents.filter((d) => !d.payload.fulfilledByAmazon);
    const taken = await ingestNewOrders(channel, eligible.map((d) => d.payload.order), { actor });
    const byDocument = new Map(eligible.map((d, i) => [d, taken[i]]));
    // The shipped units of the orders just taken in, several at once (each its own transaction, on its own order):
    // on SQLite they share group commits, on PostgreSQL connections — as run-import applies documents.
    const withShipped = documents.filter((d) => byDocument.get(d) && d.payload.shipped.length > 0);
    const shipped = new Set<ImportDocument<AmazonReportOrder>>();
    let next = 0;
    const work = async () => {
      while (next < withShipped.length) {
        const d = withShipped[next++];
        if (await recordShipped(channel, d.payload.order.externalId, d.payload.shipped, actor)) shipped.add(d);
      }
    };
    await Promise.all(Array.from({ length: Math.min(SHIPPED_IN_FLIGHT, withShipped.length) }, work));
    return documents.map((d) => {
      const t = byDocument.get(d);
      if (!t) return null;
      const extra = [shipped.has(d) ? "shipped units recorded" : null, d.note].filter(Boolean).join("; ");
      return { outcome: "created", orderId: t.orderId, message: `order ${d.key}: created${extra ? `; ${extra}` : ""}` };
    });
  },
};

/** Orders whose shipped units are recorded at once after a batch (as run-import's IN_FLIGHT). */
const SHIPPED_IN_FLIGHT = 8;
