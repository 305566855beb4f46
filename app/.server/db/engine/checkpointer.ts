import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// WAL checkpoints on a thread of their own. In WAL mode every commit appends pages to the -wal file and a
// checkpoint later copies them into the database file (and fsyncs it). SQLite runs that checkpoint inside
// whichever commit crosses `wal_autocheckpoint`, on the event loop, stalling every request and job for
// the copy. Here a worker thread with its own connection runs PASSIVE checkpoints every `everyMs`
// (PASSIVE never blocks a writer: it copies what is committed and no reader still needs), so the main
// thread only appends. The main connection keeps a high `wal_autocheckpoint` as a safety net in case this
// thread is not running or falls behind. Measured on the reservation bench: ADR 0004.

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma("wal_autocheckpoint = 0");
const checkpoint = () => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* busy or closing: next tick */ } };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage("stopped");
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, everyMs = 100): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs } });
  worker.unref(); // never keeps the process alive
  worker.on("error", (error) => console.warn(`[db] checkpoint thread stopped: ${error.message}; the connection's own autocheckpoint takes over`));
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once("message", () => void worker.terminate().then(done, done));
        worker.once("exit", done);
        worker.postMessage("stop");
      });
      return stopped;
    },
  };
}
