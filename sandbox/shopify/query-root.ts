// QueryRoot fields over the store: shop, node, locations, product variants, inventory items,
// orders (with Shopify search syntax and sort keys) and fulfillment orders.
import type { GraphQLResolveInfo } from "graphql";
import { paginate, type ConnectionArgs } from "./connection";
import { compare, parseSearch, type SearchTerm } from "./order-search";
import { findReturnView } from "./returns";
import type { StoredOrder } from "./store";
import {
  draftOrderView, fulfillmentOrderView, idArg, inventoryItemView, locationView, orderView, shopView, variantView, type SandboxContext,
} from "./views";

type Args = ConnectionArgs & { sortKey?: string; query?: string | null };
const ORDER_FIELDS = ["updated_at", "created_at", "processed_at", "id", "name", "status", "financial_status"] as const;

export const queryRoot = {
  shop: (_: unknown, ctx: SandboxContext) => shopView(ctx.shop),

  node: ({ id }: { id: string }, ctx: SandboxContext) => {
    const type = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1];
    const resolvers: Record<string, () => unknown> = {
      Shop: () => (idArg(id, "Shop") === ctx.shop.id ? shopView(ctx.shop) : null),
      Location: () => queryRoot.location({ id }, ctx),
      ProductVariant: () => queryRoot.productVariant({ id }, ctx),
      InventoryItem: () => queryRoot.inventoryItem({ id }, ctx),
      Order: () => queryRoot.order({ id }, ctx),
      FulfillmentOrder: () => queryRoot.fulfillmentOrder({ id }, ctx),
      DraftOrder: () => queryRoot.draftOrder({ id }, ctx),
      Return: () => findReturnView(ctx, id),
    };
    idArg(id, type ?? "");
    return resolvers[type ?? ""]?.() ?? null;
  },

  nodes: ({ ids }: { ids: string[] }, ctx: SandboxContext) => ids.map((id) => queryRoot.node({ id }, ctx)),

  location: ({ id }: { id?: string | null }, ctx: SandboxContext) => {
    const loc = id ? ctx.store.location(ctx.shop, idArg(id, "Location")) : ctx.shop.locations.find((l) => l.isActive);
    return loc ? locationView(ctx, loc) : null;
  },

  locations: (args: Args & { includeInactive?: boolean }, ctx: SandboxContext, info: GraphQLResolveInfo) => {
    const search = parseSearch(args.query, ["name", "id"]);
    warn(ctx, info, args.query, search.warnings);
    const list = ctx.shop.locations
      .filter((l) => args.includeInactive || l.isActive)
      .filter((l) => search.terms.every((t) => (t.field === "id" ? compare(l.id, t) : l.name.toLowerCase().includes(t.value.toLowerCase()))))
      .sort((a, b) => (args.sortKey === "ID" ? cmp(a.id, b.id) : a.name.localeCompare(b.name)));
    return paginate(list, args, (l) => ({ id: l.id, value: args.sortKey === "ID" ? String(l.id) : l.name }), (l) => locationView(ctx, l));
  },

  draftOrder: ({ id }: { id: string }, ctx: SandboxContext) => {
    const d = ctx.shop.draftOrders.get(idArg(id, "DraftOrder"));
    return d ? draftOrderView(ctx, d) : null;
  },

  return: ({ id }: { id: string }, ctx: SandboxContext) => findReturnView(ctx, id),

  productVariant: ({ id }: { id: string }, ctx: SandboxContext) => {
    const v = ctx.store.variant(ctx.shop, idArg(id, "ProductVariant"));
    return v ? variantView(ctx, v) : null;
  },

  productVariants: (args: Args, ctx: SandboxContext, info: GraphQLResolveInfo) => {
    const search = parseSearch(args.query, ["sku", "product_id", "id"]);
    warn(ctx, info, args.query, search.warnings);
    const value = (v: { sku: string; title: string; id: bigint }) => (args.sortKey === "SKU" ? v.sku : args.sortKey === "TITLE" ? v.title : String(v.id));
    const list = ctx.shop.variants
      .filter((v) => search.terms.every((t) => (t.field === "sku" ? compare(v.sku, t) : compare(t.field === "id" ? v.id : v.productId, t))))
      .sort((a, b) => (args.sortKey === "SKU" || args.sortKey === "TITLE" ? value(a).localeCompare(value(b)) : cmp(a.id, b.id)));
    return paginate(list, args, (v) => ({ id: v.id, value: value(v) }), (v) => variantView(ctx, v));
  },

  inventoryItem: ({ id }: { id: string }, ctx: SandboxContext) => {
    const v = ctx.store.variantByItem(ctx.shop, idArg(id, "InventoryItem"));
    return v ? inventoryItemView(ctx, v) : null;
  },

  order: ({ id }: { id: string }, ctx: SandboxContext) => {
    const o = ctx.shop.orders.get(idArg(id, "Order"));
    return o ? orderView(ctx, o) : null;
  },

  orders: (args: Args, ctx: SandboxContext, info: GraphQLResolveInfo) => {
    const search = parseSearch(args.query, ORDER_FIELDS);
    warn(ctx, info, args.query, search.warnings);
    const sortKey = args.sortKey ?? "PROCESSED_AT";
    const sortValue = (o: StoredOrder): string =>
      sortKey === "UPDATED_AT" ? o.updatedAt : sortKey === "CREATED_AT" || sortKey === "PROCESSED_AT" ? o.createdAt
        : sortKey === "ORDER_NUMBER" ? String(o.payload.order_number).padStart(12, "0") : String(o.id);
    const list = [...ctx.shop.orders.values()]
      .filter((o) => search.terms.every((t) => matchesOrder(o, t)))
      .sort((a, b) => sortValue(a).localeCompare(sortValue(b)) || cmp(a.id, b.id));
    return paginate(list, args, (o) => ({ id: o.id, value: sortValue(o) }), (o) => orderView(ctx, o));
  },

  fulfillmentOrder: ({ id }: { id: string }, ctx: SandboxContext) => {
    const fo = ctx.shop.fulfillmentOrders.get(idArg(id, "FulfillmentOrder"));
    return fo ? fulfillmentOrderView(ctx, fo) : null;
  },
};

function matchesOrder(o: StoredOrder, t: SearchTerm): boolean {
  const p = o.payload;
  switch (t.field) {
    case "updated_at": return compare(Date.parse(o.updatedAt), t);
    case "created_at":
    case "processed_at": return compare(Date.parse(o.createdAt), t);
    case "id": return compare(o.id, t);
    case "name": return compare(p.name.replace(/^#/, ""), { ...t, value: t.value.replace(/^#/, "") });
    case "financial_status": return compare(p.financial_status, t);
    case "status": {
      const status = p.cancelled_at ? "cancelled" : p.closed_at ? "closed" : "open";
      return t.value === "any" || status === t.value.toLowerCase();
    }
    default: return true;
  }
}

function warn(ctx: SandboxContext, info: GraphQLResolveInfo, query: string | null | undefined, warnings: { field: string; message: string }[]): void {
  if (query && warnings.length > 0) ctx.searchWarnings.push({ path: [String(info.path.key)], query, warnings });
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
