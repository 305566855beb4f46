import type { MappedAmazonOrder } from "./amazon-orders";

// One Amazon order may reach us by the Orders API (items named by OrderItemId) and by a flat-file report that
// names none (its lines are `report:<sku>`, amazon-order-report.ts). When one meets an order stored by the
// other, its lines take the stored ids, matched by SKU in order, so the order keeps its lines (and their
// reservations) instead of seeing every line replaced. Ids are only matched across the two namings: two
// OrderItemIds are never taken for each other. Pure.

export const REPORT_LINE_PREFIX = "report:";

const isReportLine = (id: string) => id.startsWith(REPORT_LINE_PREFIX);

export interface StoredLine {
  externalId: string;
  sku: string | null;
}

/** The mapped order with its line ids (and its shipped units' ids) renamed to the stored lines they are. */
export function adoptStoredLineIds<T extends MappedAmazonOrder>(mapped: T, stored: readonly StoredLine[]): T {
  const incomingIds = new Set(mapped.order.lines.map((l) => l.externalId));
  const storedIds = new Set(stored.map((l) => l.externalId));
  const free = stored.filter((l) => !incomingIds.has(l.externalId) && l.sku !== null);
  const rename = new Map<string, string>();
  for (const line of mapped.order.lines) {
    if (storedIds.has(line.externalId) || line.sku === null) continue;
    const match = free.findIndex((s) => s.sku === line.sku && isReportLine(s.externalId) !== isReportLine(line.externalId));
    if (match === -1) continue;
    rename.set(line.externalId, free[match].externalId);
    free.splice(match, 1);
  }
  if (rename.size === 0) return mapped;
  const to = (id: string) => rename.get(id) ?? id;
  return {
    ...mapped,
    order: { ...mapped.order, lines: mapped.order.lines.map((l) => ({ ...l, externalId: to(l.externalId) })) },
    shipped: mapped.shipped.map((s) => ({ ...s, lineExternalId: to(s.lineExternalId) })),
  };
}
