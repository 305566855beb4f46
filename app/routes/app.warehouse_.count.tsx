import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { openCountTasks, submitCount } from "~/.server/use-cases/cycle-counts";
import { listWarehouseLocations } from "~/.server/use-cases/manage-warehouse";
import { bigButton, bigInput, handheldPage, Notice, ScanInput } from "~/components/handheld";

// Handheld cycle count (issue 13, items 7 and 9; ADR 0034): a blind count. The worker scans the bin, then each SKU
// (and lot) with the units counted; the screen never shows what the bin should hold. The count is sent for approval
// (stock does not move until a lead approves it on the Warehouse dashboard). Narrow, 56 px targets, keyboard-wedge
// input: the scanner's Enter after a SKU moves to the quantity, Enter after the quantity adds the line.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = new URL(request.url).searchParams;
  const managed = (await listWarehouseLocations(shop.id)).filter((l) => l.managed);
  const location = managed.find((l) => l.id === params.get("location")) ?? managed[0] ?? null;
  const worker = (params.get("worker") ?? "").trim();
  if (!location) return { location: null, worker, open: [], current: null, scanned: null };
  const open = await openCountTasks(shop.id, location.id);
  const scanned = (params.get("bin") ?? "").trim().toUpperCase() || null;
  return { location, worker, open, current: scanned ? (open.find((c) => c.bin.toUpperCase() === scanned) ?? null) : null, scanned };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const field = (name: string) => String(form.get(name) ?? "").trim();
  try {
    let lines: { sku: string; lot?: string; quantity: number }[];
    try {
      lines = JSON.parse(field("lines") || "[]");
    } catch {
      return { ok: false, error: "The counted lines did not arrive; nothing was recorded. Count again." };
    }
    const r = await submitCount(shop.id, field("location"), field("id"), { bin: field("bin"), lines, submissionId: field("submissionId"), worker: field("worker") || null });
    return { ok: true, message: r.applied ? `Bin ${r.count.bin} counted (${lines.length} line${lines.length === 1 ? "" : "s"}): sent for approval.` : `Bin ${r.count.bin} was sent already.` };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
}

interface Line {
  sku: string;
  lot: string;
  quantity: number;
}

export default function Count() {
  const { location, worker, open, current, scanned } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!location) return <div style={handheldPage}><p>No location is managed by the warehouse module yet.</p><Link to="/app/warehouse">Set one up</Link></div>;
  const sent = result?.ok === true;
  return (
    <div style={handheldPage}>
      <h1 style={{ fontSize: 22, margin: "4px 0" }}>Cycle count at {location.name}</h1>
      {result ? <Notice tone={result.ok ? "ok" : "error"}>{result.ok ? result.message : result.error}</Notice> : null}
      {current && !sent ? (
        <Counting key={current.id} locationId={location.id} worker={worker} count={current} />
      ) : (
        <>
          {scanned && !current && !sent ? <Notice tone="error">No count is open for bin {scanned}. Scan a bin from the list below.</Notice> : null}
          <Form method="get">
            <input type="hidden" name="location" value={location.id} />
            <label style={{ display: "block", marginTop: 12 }}>
              <span style={{ display: "block", marginBottom: 4 }}>Worker</span>
              <input name="worker" defaultValue={worker} autoComplete="off" style={bigInput} aria-label="Worker" />
            </label>
            <div style={{ marginTop: 12 }}>
              <ScanInput name="bin" label="Scan the bin to count, then Enter" resetKey={`${scanned}:${String(sent)}`} />
            </div>
            <button type="submit" style={{ ...bigButton, background: "#303030", color: "#fff" }}>Start counting</button>
          </Form>
          <h2 style={{ fontSize: 18, marginTop: 16 }}>Bins to count ({open.length}): go there and scan the bin</h2>
          {open.length === 0 ? <p>Nothing to count.</p> : null}
          {open.slice(0, 50).map((c) => (
            <div key={c.id} style={{ ...bigButton, display: "flex", alignItems: "center", justifyContent: "space-between", padding: "0 12px", boxSizing: "border-box", background: "#fff" }}>
              <strong>{c.bin}</strong>
              <span style={{ fontSize: 16 }}>{c.reason.replace("_", " ")}{c.focusSku ? ` · ${c.focusSku}` : ""}</span>
            </div>
          ))}
        </>
      )}
      <p><Link to={`/app/warehouse/dashboard?location=${location.id}`}>Dashboard</Link> · <Link to={`/app/warehouse?location=${location.id}`}>Warehouse</Link></p>
    </div>
  );
}

function Counting({ locationId, worker, count }: { locationId: string; worker: string; count: { id: string; bin: string; reason: string; focusSku: string | null } }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [withLot, setWithLot] = useState(false);
  const [submissionId, setSubmissionId] = useState("");
  const sku = useRef<HTMLInputElement>(null);
  const lot = useRef<HTMLInputElement>(null);
  const qty = useRef<HTMLInputElement>(null);
  const busy = useNavigation().state !== "idle";
  useEffect(() => {
    setSubmissionId(`${count.id}:${globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2)}`);
    sku.current?.focus();
  }, [count.id]);

  const onSkuKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    if (!sku.current?.value.trim()) return;
    (withLot ? lot : qty).current?.focus();
  };
  const onLotKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    qty.current?.focus();
  };
  const add = () => {
    const code = sku.current?.value.trim() ?? "";
    const raw = qty.current?.value.trim() ?? "";
    const n = Number(raw);
    if (!code) return setProblem("Scan a SKU first.");
    if (raw === "" || !Number.isInteger(n) || n < 0) return setProblem(`The count is a whole number of units, 0 or more (got ${JSON.stringify(raw)}).`);
    setLines((ls) => [...ls, { sku: code, lot: lot.current?.value.trim() ?? "", quantity: n }]);
    setProblem(null);
    for (const r of [sku, lot, qty]) if (r.current) r.current.value = "";
    sku.current?.focus();
  };
  const onQtyKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    add();
  };

  return (
    <div>
      <div style={{ fontSize: 30, fontWeight: 700, margin: "12px 0 4px" }}>Bin {count.bin}</div>
      <div style={{ fontSize: 16, marginBottom: 8 }}>
        {count.reason.replace("_", " ")}{count.focusSku ? ` · check ${count.focusSku} especially` : ""}. Count every SKU in the bin; a SKU you do not scan is counted as none.
      </div>
      {problem ? <Notice tone="error">{problem}</Notice> : null}
      <label style={{ display: "block", marginTop: 8 }}>
        <span style={{ display: "block", marginBottom: 4 }}>Scan a SKU, then Enter</span>
        <input ref={sku} onKeyDown={onSkuKey} autoComplete="off" autoCapitalize="characters" spellCheck={false} enterKeyHint="next" style={bigInput} aria-label="SKU" />
      </label>
      {withLot ? (
        <label style={{ display: "block", marginTop: 8 }}>
          <span style={{ display: "block", marginBottom: 4 }}>Lot</span>
          <input ref={lot} onKeyDown={onLotKey} autoComplete="off" autoCapitalize="characters" spellCheck={false} enterKeyHint="next" style={bigInput} aria-label="Lot" />
        </label>
      ) : null}
      <label style={{ display: "block", marginTop: 8 }}>
        <span style={{ display: "block", marginBottom: 4 }}>Units counted, then Enter</span>
        <input ref={qty} onKeyDown={onQtyKey} type="number" inputMode="numeric" min={0} step={1} autoComplete="off" enterKeyHint="done" style={bigInput} aria-label="Units counted" />
      </label>
      <button type="button" onClick={add} style={bigButton}>Add line</button>
      <button type="button" onClick={() => setWithLot((v) => !v)} style={bigButton}>{withLot ? "No lots" : "This bin has lots"}</button>
      <h2 style={{ fontSize: 18, marginTop: 16 }}>Counted ({lines.length})</h2>
      {lines.map((l, i) => (
        <div key={i} style={{ display: "flex", gap: 8, alignItems: "center", marginTop: 8 }}>
          <div style={{ flex: 1, fontSize: 20 }}>{l.quantity} × <strong>{l.sku}</strong>{l.lot ? ` · lot ${l.lot}` : ""}</div>
          <button type="button" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} style={{ ...bigButton, width: 120, marginTop: 0 }} aria-label={`Remove ${l.sku}`}>Remove</button>
        </div>
      ))}
      <Form method="post">
        <input type="hidden" name="location" value={locationId} />
        <input type="hidden" name="id" value={count.id} />
        <input type="hidden" name="bin" value={count.bin} />
        <input type="hidden" name="worker" value={worker} />
        <input type="hidden" name="submissionId" value={submissionId} />
        <input type="hidden" name="lines" value={JSON.stringify(lines)} />
        <button type="submit" disabled={busy || !submissionId} style={{ ...bigButton, background: "#303030", color: "#fff" }}>
          {lines.length === 0 ? "Bin is empty: send" : "Send count for approval"}
        </button>
      </Form>
      <Link to={`?location=${locationId}&worker=${encodeURIComponent(worker)}`} style={{ ...bigButton, display: "flex", alignItems: "center", justifyContent: "center", textDecoration: "none", color: "inherit", boxSizing: "border-box" }}>Another bin</Link>
    </div>
  );
}
