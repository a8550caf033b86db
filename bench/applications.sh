#!/usr/bin/env bash
# Certificate applications accepted per second on PostgreSQL, paid from the balance, against
# plain insert-one-row transactions on the same database, in the same run, at the same
# concurrency (docs/PERFORMANCE.md, issue #16). Not part of CI.
# Usage: bench/applications.sh [seconds, default 15] [concurrency, default 16] [rounds, default 3].
# Builds the release.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
DURATION=${1:-15}
CONCURRENCY=${2:-16}
ROUNDS=${3:-3}
command -v psql >/dev/null || {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql-client >/dev/null
}

say "building the release (shomei, application_rate, insert_rate)"
cargo build --release -p server --bin shomei --example application_rate --example insert_rate -q

admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
database="shomei_bench_$$"
psql -q "$admin" -c "CREATE DATABASE $database"
url="${admin%/*}/$database"
work=$(mktemp -d)
trap 'psql -q "$admin" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)"; rm -rf "$work"' EXIT
export SHOMEI_DATABASE_URL="$url" SHOMEI_LOG=error
unset SHOMEI_SMTP_URL SHOMEI_CONFIG SHOMEI_PAYMENT_GATEWAY
shomei=./target/release/shomei

# 100 students b0001 … b0100, each with far more than the run can spend, and the demo catalogue.
students=100
$shomei tenant add bench --name "ベンチ大学" >/dev/null
$shomei catalogue import --tenant bench catalogues/demo.toml >/dev/null
{
  echo "user_id,name,password"
  for i in $(seq -f "%04g" 1 $students); do echo "b$i,学生 $i,bench-Pass-1"; done
} > "$work/students.csv"
$shomei students import --tenant bench "$work/students.csv" >/dev/null
for i in $(seq -f '%04g' 1 $students); do
  $shomei ledger adjust --tenant bench --user-id "b$i" --amount 100000000 --reason "bench" >/dev/null
done
# Each has a registered address, as a student who applies has: the receipt mail is queued in
# the application's own statement, so leaving it out would measure less than a real one.
psql -q "$url" -c "INSERT INTO accounts (tenant_id, user_id_key, email, email_verified_at,
    created_at, updated_at)
  SELECT t.id, 'b' || lpad(n::text, 4, '0'), 'b' || lpad(n::text, 4, '0') || '@bench.example.jp',
    0, 0, 0
  FROM tenants t, generate_series(1, $students) AS n WHERE t.slug = 'bench'"

# The yardstick moves between runs by a fifth or more on a shared machine (docs/PERFORMANCE.md),
# so the two are run in turns, ROUNDS times, and the ratio is each round's, then their median.
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  say "round $round of $ROUNDS: applications paid from the balance, $CONCURRENCY at once, ${DURATION}s"
  BENCH_STUDENTS=$students ./target/release/examples/application_rate "$url" bench "$CONCURRENCY" "$DURATION" | tee "$work/applications"
  applied=$(awk '$1 == "per_second" {print $2}' "$work/applications")
  say "round $round of $ROUNDS: plain insert-one-row transactions, $CONCURRENCY at once, ${DURATION}s"
  ./target/release/examples/insert_rate "$url" "$CONCURRENCY" "$DURATION" | tee "$work/inserts"
  inserts=$(awk '$1 == "per_second" {print $2}' "$work/inserts")
  ratio=$(awk -v a="$applied" -v b="$inserts" 'BEGIN {printf "%.2f", a / b}')
  echo "round $round ratio applications/inserts: $ratio"
  ratios+=("$ratio")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
echo "ratios ${ratios[*]}; median $median (target >= 0.3)"

say "the ledger after the run"
$shomei ledger verify
