import { stringify } from "csv-stringify/sync";
import { ORDER_CSV_COLUMNS, orderCsvRows } from "~/domain/orders/orders-csv";
import { database } from "../db/database";
import { listOrders, type OrderFilter } from "../db/orders";

// The shop's orders as CSV (GET /api/v1/orders.csv), streamed: one page of orders is read, written and let go
// before the next is read, walking the list's keyset cursor, so the memory an export holds does not grow with
// the shop's order count (100,000 orders are 400 pages). Cells a spreadsheet would run as a formula (=, +, -, @,
// tab, CR first) are written as text: prefixed with ' and quoted.

/** Orders read per page: the most listOrders gives. */
export const ORDERS_CSV_PAGE = 250;

const CSV_OPTIONS = {
  columns: [...ORDER_CSV_COLUMNS],
  record_delimiter: "windows", // RFC 4180: CRLF
  escape_formulas: true, // prefixes ' …
  quoted_match: /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/, // … and quotes (matched against the cell as given)
} as const;

export type OrdersCsvFilter = Pick<OrderFilter, "channelKind" | "externalId" | "status">;

/** The export's file name and its body as a stream; `pageSize` (default ORDERS_CSV_PAGE) is the orders read at a time. */
export function ordersCsv(shopId: string, filter: OrdersCsvFilter, opts: { pageSize?: number; now?: Date } = {}): { filename: string; stream: ReadableStream<Uint8Array> } {
  const take = Math.min(Math.max(opts.pageSize ?? ORDERS_CSV_PAGE, 1), ORDERS_CSV_PAGE);
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return controller.close();
      const page = await listOrders(database(), shopId, { ...filter, cursor, take });
      const rows = page.orders.flatMap(orderCsvRows);
      const text = stringify(rows, { ...CSV_OPTIONS, header: !started });
      started = true;
      cursor = page.nextCursor ?? undefined;
      done = page.nextCursor === null;
      if (text) controller.enqueue(encoder.encode(text));
      if (done) controller.close();
    },
  });
  const day = (opts.now ?? new Date()).toISOString().slice(0, 10);
  return { filename: `orders-${day}.csv`, stream };
}
