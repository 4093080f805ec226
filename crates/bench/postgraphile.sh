#!/usr/bin/env bash
# PostGraphile (from npm) over the same PostgreSQL database as Pendamping,
# measured by `pendamping-bench load` on the district-board question, beside
# `pendamping-bench run`'s figures. Needs Node.js (npx) and the release bench:
#   cargo build --release -p pendamping-bench
# Usage: crates/bench/postgraphile.sh postgres://user@host/national [seconds] [workers]
set -euo pipefail
cd "$(dirname "$0")/../.."
url=${1:?usage: postgraphile.sh DATABASE_URL [seconds] [workers]}
duration=${2:-10}
workers=${3:-2}
port=${POSTGRAPHILE_PORT:-5000}

# The same district the bench picks: the first office's first regency or city.
district=$(psql "$url" -Atc "SELECT COALESCE(MIN(CASE WHEN kind <> 'PROVINCE' THEN id END), MIN(id)) FROM districts WHERE office_id = (SELECT MIN(id) FROM offices)")
offset=$(psql "$url" -Atc "SELECT CASE time_zone WHEN 'Asia/Jayapura' THEN 9 WHEN 'Asia/Makassar' THEN 8 ELSE 7 END FROM districts WHERE id = ${district}")
today=$(date -u -d "+${offset} hours" +%F)

# Pool as large as Pendamping's (16 connections per process).
setsid npx --yes -p postgraphile@4 -p postgraphile-plugin-connection-filter@2 postgraphile \
  --connection "$url" --schema public --host 127.0.0.1 --port "$port" \
  --append-plugins postgraphile-plugin-connection-filter \
  --disable-query-log --max-pool-size 16 --cluster-workers "$workers" >&2 &
server=$!
# setsid made it a process group of its own: stop the whole group (npx, node, workers).
trap 'kill -- -"$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs -o /dev/null -H 'content-type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:${port}/graphql" && break
  sleep 1
done

target/release/pendamping-bench load \
  --endpoint "http://127.0.0.1:${port}/graphql" \
  --query-file crates/bench/postgraphile/district-board.graphql \
  --variables "{\"id\": \"${district}\", \"today\": \"${today}\"}" \
  --duration "$duration" --concurrency 16,64
