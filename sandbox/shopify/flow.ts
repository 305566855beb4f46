// Shopify Flow, as far as the app meets it (ADR 0031): flowTriggerReceive calls are recorded (store.flowTriggers);
// stored workflows ("when <trigger>, run <action> with these properties") start on each trigger received; an action
// runs the way Flow runs it — a POST of { shop_id, shopify_domain, action_run_id, action_definition_id, handle,
// properties } to the app's /flow/actions/<handle>, signed with X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw
// body with the app's secret), sent again with the same action_run_id while the app answers 5xx/429 or not at all.
import { createHmac, randomUUID } from "node:crypto";
import type { FlowTriggerRec, SandboxStore } from "./store";

export type { FlowTriggerRec };


export interface FlowWorkflow {
  id: string;
  shop: string;
  /** The trigger handle that starts it. */
  trigger: string;
  /** The action handle it runs. */
  action: string;
  /** The action's properties: a string "{{key}}" takes the trigger payload's value (its type kept); "a {{key}} b" is text. */
  properties: Record<string, unknown>;
}

export interface FlowActionRunRec {
  actionRunId: string;
  workflowId: string | null;
  shop: string;
  handle: string;
  properties: Record<string, unknown>;
  /** Every attempt's HTTP status (null: no answer). */
  statuses: (number | null)[];
  response: unknown;
}

const RETRYABLE = (status: number | null) => status === null || status === 429 || status >= 500;

export class FlowStandIn {
  readonly workflows: FlowWorkflow[] = [];
  readonly runs: FlowActionRunRec[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  /** How actions reach the app (replaceable in tests: e.g. the app's request handler without a server). */
  fetch: typeof fetch;

  constructor(private readonly opts: { store: SandboxStore; appUrl: string; apiSecret: string; fetch?: typeof fetch; retries?: number; retryDelayMs?: number }) {
    this.fetch = opts.fetch ?? fetch;
    opts.store.onFlowTrigger = (t) => this.started(t);
  }

  get triggers(): readonly FlowTriggerRec[] {
    return this.opts.store.flowTriggers;
  }

  addWorkflow(w: Omit<FlowWorkflow, "id">): FlowWorkflow {
    const workflow = { ...w, id: randomUUID() };
    this.workflows.push(workflow);
    return workflow;
  }

  /** Resolves once every action run started so far has finished (its retries included). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Runs an action against the app as Flow does; `actionRunId` again is Flow's retry of the same run. */
  async runAction(input: { shop: string; handle: string; properties: Record<string, unknown>; actionRunId?: string; workflowId?: string | null; hmac?: "valid" | "wrong" }): Promise<FlowActionRunRec> {
    const shop = this.opts.store.findShop(input.shop);
    const run: FlowActionRunRec = { actionRunId: input.actionRunId ?? randomUUID(), workflowId: input.workflowId ?? null, shop: input.shop, handle: input.handle, properties: input.properties, statuses: [], response: null };
    this.runs.push(run);
    const body = JSON.stringify({
      shop_id: shop ? Number(shop.id) : null, shopify_domain: input.shop, action_run_id: run.actionRunId,
      action_definition_id: input.handle, handle: input.handle, properties: input.properties,
    });
    const hmac = createHmac("sha256", input.hmac === "wrong" ? `${this.opts.apiSecret}-wrong` : this.opts.apiSecret).update(body, "utf8").digest("base64");
    for (let attempt = 0; attempt <= (this.opts.retries ?? 3); attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 20));
      let status: number | null = null;
      try {
        const res = await this.fetch(`${this.opts.appUrl}/flow/actions/${input.handle}`, { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": hmac }, body, signal: AbortSignal.timeout(10_000) });
        status = res.status;
        const text = await res.text();
        try {
          run.response = JSON.parse(text);
        } catch {
          run.response = text;
        }
      } catch (error) {
        run.response = (error as Error).message;
      }
      run.statuses.push(status);
      if (!RETRYABLE(status)) break;
    }
    return run;
  }

  private started(t: FlowTriggerRec): void {
    for (const w of this.workflows.filter((x) => x.shop === t.shop && x.trigger === t.handle)) {
      const p = this.runAction({ shop: t.shop, handle: w.action, properties: fill(w.properties, t.payload), workflowId: w.id }).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }
}

/** A workflow's properties with the trigger's values put in. */
export function fill(properties: Record<string, unknown>, payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value !== "string") {
      out[key] = value;
      continue;
    }
    const whole = /^\{\{\s*([^}]+?)\s*\}\}$/.exec(value);
    out[key] = whole ? (payload[whole[1]] ?? null) : value.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_m, k: string) => String(payload[k] ?? ""));
  }
  return out;
}

/** What flowTriggerReceive accepts: a handle, a JSON object payload of at most 50 KB (Shopify's limit). */
export function checkFlowTrigger(handle: string | null | undefined, payload: unknown): { field: string[]; message: string }[] {
  const errors: { field: string[]; message: string }[] = [];
  if (!handle || !/^[a-z0-9-]{1,30}$/.test(handle)) errors.push({ field: ["handle"], message: "handle must name one of the app's Flow trigger extensions" });
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) errors.push({ field: ["payload"], message: "payload must be a JSON object" });
  else if (Buffer.byteLength(JSON.stringify(payload)) > 50_000) errors.push({ field: ["payload"], message: "payload is larger than 50 KB" });
  return errors;
}
