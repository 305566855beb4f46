import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { listWarehouseLocations } from "~/.server/use-cases/manage-warehouse";
import { confirmPick, readPickTasks, releaseWave, reportShortPick, type PickTaskView } from "~/.server/use-cases/pick-pack-ship";
import { bigButton, bigInput, handheldPage, Notice, ScanInput, linkButton } from "~/components/handheld";

// Handheld picking (issue 13, items 6 and 9; ADR 0033): the next pick of the open task in the order of the drawn
// route — bin, SKU, units — with the route on the map; the worker scans the bin, then the SKU (a wrong bin or SKU is
// refused, nothing moves), or reports a short pick. With no open task, the next wave is released from here.

type PickLoaderData = { location: { id: string; name: string } | null; task: PickTaskView | null; tasks: number };

export async function loader({ request }: LoaderFunctionArgs): Promise<PickLoaderData> {
  const { shop } = await requireAdminShop(request);
  const params = new URL(request.url).searchParams;
  const managed = (await listWarehouseLocations(shop.id)).filter((l) => l.managed);
  const location = managed.find((l) => l.id === params.get("location")) ?? managed[0] ?? null;
  if (!location) return { location: null, task: null, tasks: 0 };
  const { open } = await readPickTasks(shop.id, location.id);
  return { location: { id: location.id, name: location.name }, task: open.find((t) => t.id === params.get("task")) ?? open[0] ?? null, tasks: open.length };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const worker = field("worker") || "admin";
  try {
    if (field("intent") === "release") {
      const maxOrders = Number(field("maxOrders") || "20");
      if (!Number.isInteger(maxOrders) || maxOrders < 1 || maxOrders > 300) return { ok: false, error: "Orders at most: a whole number from 1 to 300" };
      const r = await releaseWave(shop.id, field("location"), { actor: "admin:warehouse", maxOrders });
      if (r.tasks.length === 0) return { ok: false, error: r.waiting.length ? `Nothing released: ${r.waiting.map((w) => w.reason).join("; ")}` : "No routed orders wait here." };
      return { ok: true, message: `Wave ${r.tasks[0].wave} released: ${r.tasks.length} task(s), ${r.tasks.reduce((n, t) => n + t.orders.length, 0)} order(s), ${r.tasks.reduce((n, t) => n + t.units, 0)} unit(s).` };
    }
    if (field("intent") === "short") {
      const r = await reportShortPick(shop.id, field("location"), field("line"), { bin: field("bin"), found: Number(field("found") || "0"), scanId: field("scanId"), worker }, { actor: `worker:${worker}` });
      return { ok: true, message: `Short pick recorded: ${r.shortQuantity} × ${r.line.sku} missing in ${r.line.bin}; ${r.unitsRerouted} re-routed, ${r.unitsBackordered} backordered; the bin will be counted.` };
    }
    const quantity = field("quantity") ? Number(field("quantity")) : undefined;
    const r = await confirmPick(shop.id, field("location"), field("line"), { bin: field("bin"), code: field("code"), quantity, scanId: field("scanId"), worker });
    return { ok: true, message: r.applied ? `Picked ${r.line.picked} × ${r.line.sku} from ${r.line.bin}.${r.taskDone ? " Task done: take the cart to packing." : ""}` : "Already picked (the same scan again)." };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
}

const norm = (s: string) => s.trim().toUpperCase();

export default function Pick() {
  const { location, task, tasks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [session] = useState(() => Math.random().toString(36).slice(2, 10));
  const [seq, setSeq] = useState(0);
  const [scannedBin, setScannedBin] = useState<{ line: string; bin: string } | null>(null);
  const [binError, setBinError] = useState<string | null>(null);
  const [shortOpen, setShortOpen] = useState(false);
  if (!location) return <div style={handheldPage}><p>No location is managed by the warehouse module yet.</p><Link to="/app/warehouse">Set one up</Link></div>;
  const next = task?.next ?? null;
  const bin = scannedBin && next && scannedBin.line === next.id ? scannedBin.bin : null;
  const onBin = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get("bin") ?? "");
    if (!next) return;
    if (norm(value) !== norm(next.bin)) {
      setBinError(`Wrong bin: you scanned ${value.trim() || "nothing"}, but this pick is in ${next.bin}. Nothing was picked.`);
      setSeq((n) => n + 1);
      return;
    }
    setBinError(null);
    setScannedBin({ line: next.id, bin: value.trim() });
  };
  const afterSubmit = () => setTimeout(() => { setSeq((n) => n + 1); setScannedBin(null); setShortOpen(false); }, 0);
  const remaining = next ? next.quantity - next.picked - next.short : 0;
  return (
    <div style={handheldPage}>
      <h1 style={{ fontSize: 22, margin: "4px 0" }}>Pick at {location.name}</h1>
      {result ? <Notice tone={result.ok ? "ok" : "error"}>{result.ok ? result.message : result.error}</Notice> : null}
      {binError ? <Notice tone="error">{binError}</Notice> : null}
      {!task ? (
        <Form method="post">
          <p>No open pick task.</p>
          <input type="hidden" name="location" value={location.id} />
          <input type="hidden" name="intent" value="release" />
          <label style={{ display: "block", marginTop: 8 }}>Orders at most<input name="maxOrders" defaultValue="20" inputMode="numeric" style={bigInput} /></label>
          <button type="submit" disabled={busy} style={{ ...bigButton, background: "#303030", color: "#fff" }}>Release next wave</button>
        </Form>
      ) : (
        <>
          <div data-testid="pick-task" style={{ fontSize: 16, margin: "8px 0" }}>
            Wave {task.wave}{task.cutoffAt ? ` · cut-off ${new Date(task.cutoffAt).toISOString().slice(11, 16)} UTC` : ""} · {task.lines.filter((l) => l.status !== "open").length}/{task.lines.length} lines · route {task.routeLengthM.toFixed(1)} m{task.exact ? " (optimal)" : ""}
          </div>
          {next ? (
            <div data-testid="next-pick" style={{ border: "2px solid #303030", borderRadius: 8, padding: 12, lineHeight: 1.25 }}>
              <div style={{ fontSize: 16 }}>Stop {next.seq} of {task.lines.length} · order {next.order}</div>
              <div style={{ fontSize: 34, fontWeight: 700, margin: "4px 0" }} data-testid="pick-bin">{next.bin}</div>
              <div style={{ fontSize: 24 }}><span data-testid="pick-qty">{remaining}</span> × <strong data-testid="pick-sku">{next.sku}</strong>{next.lot ? ` · lot ${next.lot}` : ""}</div>
            </div>
          ) : <p>Every line is done.</p>}
          {next && !bin ? (
            <form onSubmit={onBin}>
              <ScanInput name="bin" label="1. Scan the bin, then Enter" resetKey={`${next.id}-${seq}`} />
              <button type="submit" style={bigButton}>Bin scanned</button>
            </form>
          ) : null}
          {next && bin ? (
            <Form method="post" onSubmit={afterSubmit}>
              <input type="hidden" name="location" value={location.id} />
              <input type="hidden" name="line" value={next.id} />
              <input type="hidden" name="bin" value={bin} />
              <input type="hidden" name="scanId" value={`${session}-${seq}`} />
              <p style={{ margin: "8px 0" }}>Bin {bin} ✓</p>
              <ScanInput name="code" label="2. Scan the SKU, then Enter" resetKey={`${next.id}-code-${seq}`} />
              <label style={{ display: "block", marginTop: 8 }}>Units<input name="quantity" defaultValue={String(remaining)} inputMode="numeric" style={bigInput} /></label>
              <button type="submit" disabled={busy} style={{ ...bigButton, background: "#303030", color: "#fff" }}>Confirm pick</button>
            </Form>
          ) : null}
          {next ? (
            shortOpen ? (
              <Form method="post" onSubmit={afterSubmit}>
                <input type="hidden" name="intent" value="short" />
                <input type="hidden" name="location" value={location.id} />
                <input type="hidden" name="line" value={next.id} />
                <input type="hidden" name="bin" value={next.bin} />
                <input type="hidden" name="scanId" value={`${session}-short-${seq}`} />
                <label style={{ display: "block", marginTop: 8 }}>Units found in {next.bin} (0: empty)<input name="found" defaultValue="0" inputMode="numeric" style={bigInput} /></label>
                <button type="submit" disabled={busy} style={{ ...bigButton, background: "#c7372f", color: "#fff" }}>Report short pick</button>
              </Form>
            ) : (
              <button type="button" onClick={() => setShortOpen(true)} style={{ ...bigButton, borderColor: "#c7372f" }}>Short pick</button>
            )
          ) : null}
          <div data-testid="route-map" style={{ marginTop: 12, border: "1px solid #ddd", borderRadius: 8, overflow: "hidden" }} dangerouslySetInnerHTML={{ __html: task.mapSvg.replace("<svg ", '<svg style="width:100%;height:auto" ') }} />
          <ol style={{ fontSize: 16, paddingLeft: 24 }} data-testid="pick-list">
            {task.lines.map((l) => (
              <li key={l.id} style={{ textDecoration: l.status === "open" ? "none" : "line-through", fontWeight: l.id === next?.id ? 700 : 400 }}>
                {l.bin} · {l.quantity} × {l.sku}{l.short ? ` (${l.short} short)` : ""}
              </li>
            ))}
          </ol>
          {tasks > 1 ? <p>{tasks - 1} more open task(s).</p> : null}
        </>
      )}
      <p><Link to={`/app/warehouse/pack?location=${location.id}`} style={linkButton}>Packing</Link></p>
      <p><Link to={`/app/warehouse?location=${location.id}`}>Warehouse</Link></p>
    </div>
  );
}
