import { readdirSync, readFileSync } from "node:fs";

// CPU time of processes, from /proc (Linux): user + system time of every thread of each process. A figure
// per order from these stays meaningful when the machine is busy (waiting for the CPU is not counted),
// unlike wall time. Where /proc is missing, every figure is NaN and reports say so.

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Stat {
  pid: number;
  ppid: number;
  cpuMs: number;
}

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" "); // the command name may hold spaces
    // utime, stime, then cutime, cstime: the time of children it has reaped (a postmaster's ended backends)
    return { pid, ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU ms used so far by these processes and the children they reaped (those gone count 0). */
export function cpuMsOf(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (stat(pid)?.cpuMs ?? 0), 0);
}

/** A process and every process whose parent it is (e.g. a postmaster and its backends), now. */
export function withChildren(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [pid];
  }
  const children = entries.filter((e) => /^\d+$/.test(e)).map((e) => stat(Number(e))).filter((s): s is Stat => s !== null && s.ppid === pid).map((s) => s.pid);
  return [pid, ...children];
}
