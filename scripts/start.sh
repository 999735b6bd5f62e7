#!/usr/bin/env bash
# Starts the whole product on demo data: installs dependencies, builds both web apps, then runs
# the API, workers and apps in one process at http://127.0.0.1:3000 (PORT overrides).
# Without DATABASE_URL it runs an embedded Postgres in .data/postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

pnpm install --frozen-lockfile
pnpm build
exec node --import tsx apps/api/src/main.ts
