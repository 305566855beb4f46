import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { database } from "~/.server/db/database";
import { AppError } from "~/.server/errors";
import { listWarehouseLocations } from "~/.server/use-cases/manage-warehouse";
import { listPurchaseOrders } from "~/.server/use-cases/read-purchase-orders";
import { changeReturn } from "~/.server/use-cases/change-return";
import { getReturn } from "~/.server/use-cases/read-returns";
import { expectedReturns, returnActionFromForm } from "~/.server/use-cases/return-queue";
import { receivingView, scanAtReceiving } from "~/.server/use-cases/scan-receiving";
import { bigButton, bigInput, handheldPage, Notice, ScanInput } from "~/components/handheld";

// Handheld receiving (issue 13, items 2 and 9; ADR 0029): pick an open purchase order of a managed location, then
// scan (or type) SKUs; good units go to the receiving bin, damaged ones are recorded. Each line shows ordered,
// received, over / short / damaged, and the order its receiving accuracy. Returns expected at the location (approved or
// in transit, ADR 0035) are listed too and received here with a disposition per line: restocked units go to the
// receiving bin like a purchase order's.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = new URL(request.url).searchParams;
  const managed = (await listWarehouseLocations(shop.id)).filter((l) => l.managed);
  const location = managed.find((l) => l.id === params.get("location")) ?? managed[0] ?? null;
  const open = location ? (await listPurchaseOrders(shop.id, { status: "open", limit: 200 })).purchaseOrders.filter((p) => p.location.id === location.id).map((p) => ({ number: p.number, supplier: p.supplier })) : [];
  const number = params.get("po");
  const order = number ? await receivingView(database(), shop.id, number).catch((e) => (e instanceof AppError ? null : Promise.reject(e))) : null;
  const returns = location ? (await expectedReturns(shop.id, location.id)).map((r) => ({ number: r.number, orderName: r.orderName, status: r.status, tracking: r.label?.trackingNumber ?? null, lines: r.lines.map((l) => ({ id: l.id, sku: l.sku, title: l.title, quantity: l.quantity, reason: l.reason, condition: l.condition })) })) : [];
  const rma = params.get("rma");
  const expectedReturn = rma ? (returns.find((r) => r.number === rma.toUpperCase()) ?? null) : null;
  return { location, open, order, returns, expectedReturn };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const field = (name: string) => String(form.get(name) ?? "").trim();
  if (field("intent") === "receiveReturn") return receiveReturn(shop.id, form);
  try {
    const quantity = Number(field("quantity") || "1");
    const condition = field("condition") === "damaged" ? "damaged" : "good";
    const r = await scanAtReceiving(shop.id, field("po"), { code: field("code"), quantity, condition, lot: field("lot") || undefined, scanId: field("scanId"), worker: "admin" });
    const l = r.line;
    const state = l.outcome === "as_expected" ? "complete" : l.outcome === "over" ? `OVER by ${l.over}` : l.outcome === "damaged" ? `${l.damaged} damaged, ${l.short} short` : `${l.short} still to come`;
    return { ok: true, message: r.applied ? `${quantity} × ${l.sku} ${condition === "good" ? "received" : "recorded damaged"}: ${l.good} of ${l.ordered} (${state}).` : `Already recorded (scan sent twice): ${l.sku} ${l.good} of ${l.ordered}.` };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
}

/** A return received at this location from the screen: per line a quantity and a disposition (the RMA page's fields). */
async function receiveReturn(shopId: string, form: FormData): Promise<ActionResult> {
  const rma = await getReturn(shopId, String(form.get("rma") ?? "")).catch((e) => (e instanceof AppError ? null : Promise.reject(e)));
  if (!rma) return { ok: false, error: `No return ${JSON.stringify(String(form.get("rma") ?? ""))} in this shop.` };
  if (rma.receivingLocation?.id !== String(form.get("location") ?? "")) return { ok: false, error: `Return ${rma.number} is to be received at ${rma.receivingLocation?.name ?? "no location"}, not here; nothing was received.` };
  const parsed = returnActionFromForm({ get: (name) => (name === "intent" ? "receive" : form.get(name)) }, rma.lines);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const result = await changeReturn(shopId, rma.number, parsed.action, { actor: "warehouse" });
  if (!result.ok) return { ok: false, error: result.error };
  const lines = result.rma.lines.filter((l) => l.received > 0).map((l) => `${l.received} × ${l.sku ?? l.title} ${(l.disposition ?? "").replace("_", " ")}`);
  return { ok: true, message: `Return ${rma.number} received: ${lines.join(", ")}.` };
}

const DISPOSITIONS = [
  { label: "Restock", value: "restock" },
  { label: "QC hold", value: "qc_hold" },
  { label: "Refurbish", value: "refurbish" },
  { label: "Scrap", value: "scrap" },
];

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export default function Receive() {
  const { location, open, order, returns, expectedReturn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [session] = useState(() => Math.random().toString(36).slice(2, 10));
  const [seq, setSeq] = useState(0);
  const [condition, setCondition] = useState<"good" | "damaged">("good");
  if (!location) return <div style={handheldPage}><p>No location is managed by the warehouse module yet.</p><Link to="/app/warehouse">Set one up</Link></div>;
  if (expectedReturn) {
    return (
      <div style={handheldPage}>
        <h1 style={{ fontSize: 22, margin: "4px 0" }}>Return {expectedReturn.number} · {expectedReturn.orderName}</h1>
        {expectedReturn.tracking ? <p>Tracking {expectedReturn.tracking}</p> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="receiveReturn" />
          <input type="hidden" name="rma" value={expectedReturn.number} />
          <input type="hidden" name="location" value={location.id} />
          {expectedReturn.lines.map((l) => (
            <fieldset key={l.id} style={{ border: "1px solid #ddd", borderRadius: 8, marginTop: 8 }}>
              <legend>{l.sku ?? l.title} · {l.quantity} expected · {l.reason.replace(/_/g, " ")} ({l.condition})</legend>
              <div style={{ display: "flex", gap: 8 }}>
                <label style={{ flex: 1 }}>Qty<input name={`qty:${l.id}`} defaultValue={String(l.quantity)} inputMode="numeric" style={bigInput} /></label>
                <label style={{ flex: 1 }}>Disposition
                  <select name={`disposition:${l.id}`} defaultValue="restock" style={bigInput}>
                    {DISPOSITIONS.map((d) => <option key={d.value} value={d.value}>{d.label}</option>)}
                  </select>
                </label>
              </div>
            </fieldset>
          ))}
          <button type="submit" disabled={busy} style={{ ...bigButton, background: "#303030", color: "#fff" }}>Receive</button>
        </Form>
        {result ? <Notice tone={result.ok ? "ok" : "error"}>{result.ok ? result.message : result.error}</Notice> : null}
        <p><Link to={`?location=${location.id}`}>Back to receiving</Link></p>
      </div>
    );
  }
  if (!order) {
    return (
      <div style={handheldPage}>
        <h1 style={{ fontSize: 24 }}>Receive at {location.name}</h1>
        {open.length === 0 ? <p>No open purchase orders for this location.</p> : null}
        {open.map((p) => (
          <Link key={p.number} to={`?location=${location.id}&po=${encodeURIComponent(p.number)}`} style={{ ...bigButton, display: "flex", alignItems: "center", padding: "0 12px", textDecoration: "none", color: "inherit", boxSizing: "border-box" }}>
            {p.number} · {p.supplier}
          </Link>
        ))}
        <h2 style={{ fontSize: 20, marginTop: 20 }}>Expected returns</h2>
        {returns.length === 0 ? <p>No returns on their way here.</p> : null}
        {returns.map((r) => (
          <Link key={r.number} to={`?location=${location.id}&rma=${encodeURIComponent(r.number)}`} style={{ ...bigButton, display: "flex", alignItems: "center", padding: "0 12px", textDecoration: "none", color: "inherit", boxSizing: "border-box" }}>
            {r.number} · {r.orderName} · {r.lines.reduce((s, l) => s + l.quantity, 0)} unit(s) · {r.status.replace("_", " ")}
          </Link>
        ))}
        {result ? <Notice tone={result.ok ? "ok" : "error"}>{result.ok ? result.message : result.error}</Notice> : null}
        <p><Link to={`/app/warehouse?location=${location.id}`}>Back to Warehouse</Link></p>
      </div>
    );
  }
  return (
    <div style={handheldPage}>
      <h1 style={{ fontSize: 22, margin: "4px 0" }}>PO {order.number} · {order.supplier}</h1>
      <Form method="post" onSubmit={() => setTimeout(() => setSeq((n) => n + 1), 0)}>
        <input type="hidden" name="po" value={order.number} />
        <input type="hidden" name="scanId" value={`${session}-${seq}`} />
        <input type="hidden" name="condition" value={condition} />
        <ScanInput name="code" label="Scan or type SKU / barcode, then Enter" resetKey={result} />
        <div style={{ display: "flex", gap: 8, marginTop: 8 }}>
          <label style={{ flex: 1 }}>Qty<input name="quantity" defaultValue="1" inputMode="numeric" style={bigInput} /></label>
          <label style={{ flex: 1 }}>Lot<input name="lot" autoComplete="off" style={bigInput} /></label>
        </div>
        <div style={{ display: "flex", gap: 8 }}>
          {(["good", "damaged"] as const).map((c) => (
            <button key={c} type="button" onClick={() => setCondition(c)} style={{ ...bigButton, background: condition === c ? (c === "good" ? "#2e7d4a" : "#c7372f") : "#f1f1f1", color: condition === c ? "#fff" : "#000" }} aria-pressed={condition === c}>
              {c === "good" ? "Good" : "Damaged"}
            </button>
          ))}
        </div>
        <button type="submit" disabled={busy} style={{ ...bigButton, background: "#303030", color: "#fff" }}>Record</button>
      </Form>
      {result ? <Notice tone={result.ok ? "ok" : "error"}>{result.ok ? result.message : result.error}</Notice> : null}
      <p style={{ marginTop: 16 }}>Accuracy: lines {pct(order.accuracy.lineAccuracy)} ({order.accuracy.linesAsExpected}/{order.accuracy.lines}), units {pct(order.accuracy.unitAccuracy)}</p>
      <table style={{ width: "100%", borderCollapse: "collapse", fontSize: 16 }}>
        <thead><tr><th align="left">SKU</th><th align="right">Ordered</th><th align="right">Good</th><th align="right">Dmg</th><th align="left">State</th></tr></thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.lineNumber} style={{ borderTop: "1px solid #ddd" }}>
              <td>{l.sku}</td><td align="right">{l.ordered}</td><td align="right">{l.good}</td><td align="right">{l.damaged}</td>
              <td>{l.outcome === "as_expected" ? "✓" : l.outcome === "over" ? `over ${l.over}` : l.outcome === "damaged" ? "damaged" : `short ${l.short}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p><Link to={`?location=${location.id}`}>Other purchase orders</Link> · <Link to={`/app/warehouse/putaway?location=${location.id}`}>Putaway</Link></p>
    </div>
  );
}
