// One worker of tests/multiprocess/multi-process.test.ts, in a process of its own:
//   SHOPIFY_STANDIN_URL=http://127.0.0.1:… DATABASE_URL=postgres://… REDIS_URL=redis://… QUEUE_PREFIX=… node --import tsx tests/multiprocess/worker-process.ts
// The production worker (`npm run worker`: app/.server/queues/worker-main.ts — every job on Bull, the schedule
// claimed per period in ScheduledRun, graceful stop on SIGTERM), with two differences set up first: Admin API
// traffic for *.myshopify.com goes to the Shopify stand-in (sandbox/shopify/route-shop-traffic.ts installs
// undici's global dispatcher before anything imports Shopify's library), as `npm run demo` does; and each Bull
// queue logs its lock token when it starts processing.

import Bull from "bull";
import { routeShopTrafficTo } from "../../sandbox/shopify/route-shop-traffic";

const standIn = process.env.SHOPIFY_STANDIN_URL;
if (!standIn) throw new Error("worker-process: SHOPIFY_STANDIN_URL is not set");
if (!process.env.REDIS_URL) throw new Error("worker-process: REDIS_URL is not set (jobs would run in-process)");
routeShopTrafficTo(standIn);

// The test kills this worker only while it provably holds a job: Bull writes a held job's lock as the holding
// queue's token, so each queue says its token once it starts processing.
const process_ = Bull.prototype.process as (...args: unknown[]) => unknown;
Bull.prototype.process = function (this: Bull.Queue & { token: string }, ...args: unknown[]) {
  console.log(`[harness] queue ${this.name} token ${this.token}`);
  return process_.apply(this, args);
} as typeof Bull.prototype.process;

await import("../../app/.server/queues/worker-main");
