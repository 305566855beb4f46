import { checkHealth } from "~/.server/use-cases/check-health";

// Liveness + readiness for load balancers and `npm run demo`: 200 when the database and queue answer.
export async function loader() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
