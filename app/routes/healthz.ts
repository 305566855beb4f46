import { checkHealth } from "~/.server/use-cases/check-health";

// Liveness + readiness for load balancers and `npm run demo`: 200 when the database and queue answer.
// `?check=stock` (operators, the demo-restarts check) also asks whether stock adds up: 503 when it does not.
export async function loader({ request }: { request?: Request } = {}) {
  const stock = request ? new URL(request.url).searchParams.get("check") === "stock" : false;
  const health = await checkHealth({ stock });
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
