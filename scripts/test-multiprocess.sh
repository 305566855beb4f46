#!/usr/bin/env bash
# `npm run test:multiprocess [-- vitest args]`: tests/multiprocess/ (2 app server and 2 worker processes) on the
# PostgreSQL server TEST_PG_URL names (an admin connection: the run creates and drops its own databases there)
# and the Redis REDIS_URL names (the run uses a key prefix of its own and deletes it afterwards). Starts neither.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
[ -n "${TEST_PG_URL:-}" ] || missing+=("TEST_PG_URL (a PostgreSQL admin URL, e.g. postgres://postgres@127.0.0.1:5432/postgres; scripts/pg-throwaway.sh start DIR prints one)")
[ -n "${REDIS_URL:-}" ] || missing+=("REDIS_URL (e.g. redis://127.0.0.1:6379; a throwaway: redis-server --port P --save \"\" --appendonly no --daemonize yes --pidfile FILE)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "test:multiprocess needs a running PostgreSQL and Redis. Not set:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 2
fi
exec npx vitest run --config vitest.multiprocess.config.ts "$@"
