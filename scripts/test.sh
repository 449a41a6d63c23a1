#!/usr/bin/env bash
# The project's test command (README): sets up everything a fresh machine lacks, then runs the
# whole suite. PostgreSQL 15 and pg_cron come from Debian's packages; the tests get a throwaway
# cluster of their own through DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-postgres.sh
source scripts/pg-cluster.sh
pg_start
trap pg_stop EXIT

# A smoke check that the server is what the generated SQL will need.
psql -X -q "$DATABASE_URL" -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS pg_cron' -c 'DROP EXTENSION pg_cron' >/dev/null

swift build --build-tests
# The project's own specs (the seed's three views) must check clean, with warnings as errors.
.build/debug/matview check --strict
# generated/ must be what the specs produce (a stale commit fails here, with the diff).
.build/debug/matview generate --check
# XCTest only (the suite has no swift-testing tests), so its summary is the run's closing line.
swift test --skip-build --disable-swift-testing
