// The protocol between the intake bench and its server processes (serve-queued.ts, serve-naive.ts):
// the child prints `READY <port>` once it listens, and stops on SIGTERM/SIGINT or when its stdin
// closes (so it never outlives a parent that died). Closing is bounded: after 3 s it just exits.

const CLOSE_TIMEOUT_MS = 3_000;

export function serveUntilStopped(port: number, close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), CLOSE_TIMEOUT_MS).unref();
    close()
      .catch((error: unknown) => console.error(`close failed: ${(error as Error).message}`))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
  process.stdout.write(`READY ${port}\n`);
}
