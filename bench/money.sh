#!/usr/bin/env bash
# Money-moving transactions per second on PostgreSQL (docs/PERFORMANCE.md, issue #14): machine
# debits through the API against plain insert-one-row transactions on the same database, in
# the same run, at the same concurrency. Not part of CI.
# Usage: bench/money.sh [seconds, default 15] [concurrency, default 16]. Builds the release.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
DURATION=${1:-15}
CONCURRENCY=${2:-16}
command -v wrk >/dev/null || {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null
}
command -v psql >/dev/null || {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql-client >/dev/null
}

say "building the release (server, insert_rate)"
node tools/build-site.mjs --release >/dev/null 2>&1 || node tools/build-site.mjs --release
cargo build --release -p server --example insert_rate -q

admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
database="shomei_bench_$$"
psql -q "$admin" -c "CREATE DATABASE $database"
url="${admin%/*}/$database"
work=$(mktemp -d)
port=3402
trap 'kill $server 2>/dev/null || true; psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)"; rm -rf "$work"' EXIT
export SHOMEI_DATABASE_URL="$url" LEPTOS_SITE_ADDR="127.0.0.1:$port" SHOMEI_PUBLIC_URL="http://127.0.0.1:$port"
export LEPTOS_SITE_ROOT=target/site-release SHOMEI_LOG=error
unset SHOMEI_SMTP_URL SHOMEI_CONFIG SHOMEI_PAYMENT_GATEWAY
shomei=./target/release/shomei

# 100 students with cards B0001 … B0100, each with far more than the run can spend.
cards=100
$shomei tenant add bench --name "ベンチ大学" >/dev/null
{
  echo "user_id,name,card_number,password"

  for i in $(seq -f "%04g" 1 $cards); do echo "b$i,学生 $i,B$i,bench-Pass-1"; done
} > "$work/students.csv"
$shomei students import --tenant bench "$work/students.csv" >/dev/null
for i in $(seq -f '%04g' 1 $cards); do
  $shomei ledger adjust --tenant bench --user-id "b$i" --amount 10000000 --reason "bench" >/dev/null
done
export BENCH_MACHINE_KEY=$($shomei machine add --tenant bench --name bench | grep '^shm_')
export BENCH_CARDS=$cards

$shomei serve & server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/openapi.json"; do sleep 0.2; done
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/cards/B0001/debits" \
  -H "Authorization: Bearer $BENCH_MACHINE_KEY" -H "Idempotency-Key: bench-warm-up-0000001" \
  -H 'Content-Type: application/json' --data '{"amount": 10, "description": "bench"}')
[ "$status" = 201 ] || { echo "a debit failed ($status)"; exit 1; }

say "machine debits through the API, $CONCURRENCY at once, ${DURATION}s"
wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" --latency -s bench/debit.lua "http://127.0.0.1:$port" > "$work/debits"
percentile() { awk -v p="$1" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'; }
debits=$(awk '/^Requests\/sec/ {print $2}' "$work/debits")
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/debits"); non2xx=${non2xx:-0}
echo "debits/s $debits, p50 $(percentile 50% < "$work/debits") ms, p99 $(percentile 99% < "$work/debits") ms, non-2xx $non2xx"
kill $server; wait $server 2>/dev/null || true

say "plain insert-one-row transactions, $CONCURRENCY at once, ${DURATION}s"
./target/release/examples/insert_rate "$url" "$CONCURRENCY" "$DURATION" | tee "$work/inserts"
inserts=$(awk '$1 == "per_second" {print $2}' "$work/inserts")
echo "ratio debits/inserts: $(awk -v a="$debits" -v b="$inserts" 'BEGIN {printf "%.2f", a / b}') (target >= 0.5)"

say "the ledger after the run"
$shomei ledger verify
