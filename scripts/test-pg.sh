#!/usr/bin/env bash
# `npm run test:pg [-- vitest args]`: the same vitest suite as `npm test`, on PostgreSQL. Uses the server that
# TEST_PG_URL names (an admin connection: each run creates and drops its own databases there); without it,
# starts a throwaway cluster on loopback (scripts/pg-throwaway.sh: its own data folder, a free port) and
# stops it by pid afterwards, whether the tests passed, failed or were interrupted.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -n "${TEST_PG_URL:-}" ]; then
  exec npx vitest run "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/oms-test-pg.XXXXXX")
chmod 755 "$dir" # the server may run as the postgres user (when we are root): it must reach its folder
stop() { scripts/pg-throwaway.sh stop "$dir" >/dev/null 2>&1 || true; }
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! url=$(scripts/pg-throwaway.sh start "$dir"); then
  echo "test:pg: could not start a throwaway PostgreSQL (set TEST_PG_URL to use a running server)" >&2
  exit 1
fi
echo "test:pg: throwaway PostgreSQL at $url"
TEST_PG_URL="$url" npx vitest run "$@"
