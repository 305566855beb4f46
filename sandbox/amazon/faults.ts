// Fault injection for retry tests: the next N calls of an operation fail with a 500 / 503 in Amazon's error
// shape, or hang (a timeout: no response until the client gives up or `hangMs` passes, then the socket is
// reset), or lose the reply ("lost-reply": the call is applied, then the connection is reset before any answer). Faults are taken in the order they were queued; each call takes at most one.
import type { OperationName } from "./rate-limit";

export type FaultKind = 500 | 503 | "timeout" | "lost-reply";

export interface FaultSpec {
  kind: FaultKind;
  /** How many of the next calls fail (default 1). */
  times?: number;
  /** For "timeout": reset the connection after this many real milliseconds (default: hang until closed). */
  hangMs?: number;
}

export interface Fault { kind: FaultKind; hangMs?: number }

export const FAULT_BODIES: Record<500 | 503, { errors: { code: string; message: string; details: string }[] }> = {
  500: { errors: [{ code: "InternalFailure", message: "We encountered an internal error. Please try again.", details: "" }] },
  503: { errors: [{ code: "ServiceUnavailable", message: "Service temporarily unavailable. Please try again.", details: "" }] },
};

export class FaultInjector {
  private readonly queues = new Map<OperationName | "*", Fault[]>();
  /** Every fault handed out, in order (what a retry test asserts on). */
  readonly served: { operation: OperationName; kind: FaultKind }[] = [];

  /** Queues faults for `operation` ("*" = whichever operation comes next). */
  inject(operation: OperationName | "*", spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer, got ${times}`);
    const queue = this.queues.get(operation) ?? [];
    for (let i = 0; i < times; i += 1) queue.push({ kind: spec.kind, hangMs: spec.hangMs });
    this.queues.set(operation, queue);
  }

  /** The fault for this call, if one is queued (specific operation first, then "*"). */
  take(operation: OperationName): Fault | undefined {
    const fault = this.queues.get(operation)?.shift() ?? this.queues.get("*")?.shift();
    if (fault) this.served.push({ operation, kind: fault.kind });
    return fault;
  }

  pending(operation: OperationName | "*"): number {
    return this.queues.get(operation)?.length ?? 0;
  }

  clear(): void {
    this.queues.clear();
  }
}
