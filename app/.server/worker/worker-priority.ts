import { getPriority, setPriority } from "node:os";
import { env } from "../env";

/**
 * A worker process of its own (`npm run worker`) runs at a lower CPU priority (WORKER_NICE, default 10): when
 * it shares a machine with app servers, their webhook acks get the CPU first and the jobs take what is left;
 * on a machine of its own nothing changes. Never called in the web process (the embedded default orders its
 * work inside the group commit instead). Returns the priority in force; a system that refuses (no
 * permission) leaves it as it was, with a warning.
 */
export function lowerWorkerPriority(nice = env().WORKER_NICE): number {
  try {
    if (getPriority() < nice) setPriority(nice);
  } catch (error) {
    console.warn(`[worker] could not set CPU priority ${nice}: ${(error as Error).message}`);
  }
  return getPriority();
}
