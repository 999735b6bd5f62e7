#!/usr/bin/env bash
# Runs every test: type check, unit and integration tests on real Postgres and Redis, then the
# browser test on the running product in Chromium. Installs what it can on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

pnpm install --frozen-lockfile

# Integration tests need a real Postgres; without one on TEST_DATABASE_URL's port, start the
# embedded server that the product itself uses.
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! node scripts/port-open.mjs "${TEST_DATABASE_URL}"; then
  echo "No Postgres at ${TEST_DATABASE_URL}; starting the embedded one for the tests"
  ready_file="$(mktemp)"
  rm -f "${ready_file}"
  node --import tsx scripts/test-postgres.ts "${ready_file}" &
  test_postgres_pid=$!
  trap 'kill ${test_postgres_pid} 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    [ -s "${ready_file}" ] && break
    kill -0 "${test_postgres_pid}" 2>/dev/null || { echo "embedded Postgres failed" >&2; exit 1; }
    sleep 1
  done
  TEST_DATABASE_URL="$(cat "${ready_file}")"
fi
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
if ! node scripts/port-open.mjs "${TEST_REDIS_URL}"; then
  echo "No Redis at ${TEST_REDIS_URL}. The tests use a real Redis: install redis-server" \
    "(Debian: apt-get install redis-server) or set TEST_REDIS_URL." >&2
  exit 1
fi

pnpm typecheck
pnpm exec vitest run
pnpm build
pnpm test:e2e
