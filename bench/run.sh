#!/usr/bin/env bash
# The benchmarks of docs/PERFORMANCE.md, on this machine, in one run (not part of CI):
#  (a) full logins per second against the machine's argon2 limit, measured here and now;
#  (b) p50/p99 of the login page while a login storm saturates the CPU;
#  (c) login-page requests per second against a bare axum handler serving the same bytes;
#  (d) the first-load transfer of the login page (HTML, CSS, JS, WASM) as served, brotli;
#  (e) the time of a failed login for a known and for an unknown user ID (no enumeration);
#  (f) static asset requests per second against the login page's, and a second request for an
#      asset on a kept-alive connection.
#  (g) what a second visit of the login page transfers, assets kept by the browser.
#  (h) the certificate application page (signed in) against the login page.
#  (i) a certificate's verification page (by its id alone) against the login page.
# Usage: bench/run.sh [seconds per load, default 15]. Builds the release first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
DURATION=${1:-15}
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v brotli >/dev/null || missing+=(brotli)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

say "building the release (server, WASM, examples)"
node tools/build-site.mjs --release >/dev/null 2>&1 || node tools/build-site.mjs --release
cargo build --release -p server --example hash_speed --example bare_page --example issue_sample -q

work=$(mktemp -d)
port=3400
export BENCH_BASE="http://127.0.0.1:$port"
# BENCH_DATABASE_URL (an empty PostgreSQL database, say) replaces the SQLite file.
export SHOMEI_DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$work/bench.db?mode=rwc}"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export SHOMEI_PUBLIC_URL="$BENCH_BASE"
export LEPTOS_SITE_ROOT=target/site-release
export SHOMEI_LOG=error
# Certificates are signed: (i) issues one, and its page checks the signature.
export SHOMEI_KEYS_SECRET="the key secret of shomei's benchmarks, not a real one"
# The abuse limits would answer a benchmark's load with 429s and login delays.
export SHOMEI_CLIENT_REQUESTS_PER_MINUTE=0
export SHOMEI_LOGIN_FREE_FAILURES=1000000
# The bench student's registration link is read from the development mailbox.
export SHOMEI_DEV_MAILBOX=1
unset SHOMEI_SMTP_URL SHOMEI_CONFIG
./target/release/shomei demo >/dev/null
./target/release/shomei serve & server=$!
bare=""
trap 'kill $server $bare 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf -o /dev/null "$BENCH_BASE/demo/login"; do sleep 0.2; done

# The bench student finishes the first login (2.1, 2.2) as a browser would.
jar="$work/cookies"
post() { curl -sf -o /dev/null -b "$jar" -c "$jar" -H "Origin: $BENCH_BASE" "$BENCH_BASE/api/$1" --data "$2"; }
user=s2401001 password=campus-Pass-1001 second=Bench-2026-x
post login "tenant=demo&user_id=$user&password=$password&second_password="
post register_email "tenant=demo&email=bench%40example.ac.jp&email_confirmation=bench%40example.ac.jp"
token=$(curl -sf "$BENCH_BASE/dev/mailbox" | grep -o 'token=[A-Za-z0-9_-]\{43\}' | head -1 | cut -d= -f2)
post confirm_email "tenant=demo&token=$token"
post login "tenant=demo&user_id=$user&password=$password&second_password="
post setup_second_password "tenant=demo&second_password=$second&second_password_confirmation=$second"
export BENCH_LOGIN_FORM="tenant=demo&user_id=$user&password=$password&second_password=$second"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $BENCH_BASE" "$BENCH_BASE/api/login" --data "$BENCH_LOGIN_FORM")
[ "$status" = 200 ] || { echo "the bench student cannot log in ($status)"; exit 1; }

requests_per_second() { awk '/^Requests\/sec/ {print $2}'; }
percentile() { awk -v p="$1" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'; }
non_2xx() { awk '/Non-2xx/ {print $5} END {}' ; }

say "(a) argon2 limit and full logins per second"
# The limit is measured before and after the load; the higher is the machine's ceiling.
# The server's own CPU time (user + system, in clock ticks) around the storm.
server_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
./target/release/examples/hash_speed > "$work/hash"
ticks_before=$(server_ticks)
wrk -t2 -c8 -d"${DURATION}s" -s bench/login.lua "$BENCH_BASE/api/login" > "$work/logins"
ticks_after=$(server_ticks)
./target/release/examples/hash_speed >> "$work/hash"
cat "$work/hash"
verifications=$(awk '$1 == "verifications_per_second_all_cores" && $2 > v {v = $2} END {print v}' "$work/hash")
# A full login verifies two passwords: the university's (registry) and the second one.
limit=$(awk -v v="$verifications" 'BEGIN {printf "%.1f", v / 2}')
logins=$(requests_per_second < "$work/logins")
refused=$(non_2xx < "$work/logins"); refused=${refused:-0}
echo "logins/s $logins, limit $limit/s, ratio $(awk -v a="$logins" -v b="$limit" 'BEGIN {printf "%.2f", a / b}'), non-2xx $refused"
# Where the rest goes: the server's CPU per login against two verifications' worth.
requests=$(awk '/requests in/ {print $1}' "$work/logins")
verify_ms=$(awk '$1 == "verify_ms_one_core" {print $2; exit}' "$work/hash")
awk -v t="$((ticks_after - ticks_before))" -v hz="$(getconf CLK_TCK)" -v n="$requests" -v d="$DURATION" -v v="$verify_ms" 'BEGIN {
  ms = t * 1000 / hz / n
  printf "server CPU: %.2f cores busy, %.1f ms per login, of which 2 verifications take %.1f ms (%.0f %%)\n", t / hz / d, ms, 2 * v, 200 * v / ms
}'

say "(b) the login page during a login storm"
wrk -t1 -c8 -d"$((DURATION + 4))s" -s bench/login.lua "$BENCH_BASE/api/login" > /dev/null & storm=$!
sleep 2
wrk -t1 -c2 -d"${DURATION}s" --latency "$BENCH_BASE/demo/login" > "$work/storm"
wait $storm
echo "login page under storm: p50 $(percentile 50% < "$work/storm") ms, p99 $(percentile 99% < "$work/storm") ms, $(requests_per_second < "$work/storm") req/s"

say "(c) the login page against a bare axum handler with the same bytes"
curl -sf "$BENCH_BASE/demo/login" > "$work/login.html"
./target/release/examples/bare_page "$work/login.html" 127.0.0.1:3401 & bare=$!
until curl -sf -o /dev/null http://127.0.0.1:3401/; do sleep 0.2; done
wrk -t2 -c16 -d"${DURATION}s" "$BENCH_BASE/demo/login" > "$work/page"
wrk -t2 -c16 -d"${DURATION}s" http://127.0.0.1:3401/ > "$work/bare"
page=$(requests_per_second < "$work/page"); bare_rps=$(requests_per_second < "$work/bare")
echo "login page $page req/s, bare axum $bare_rps req/s, ratio $(awk -v a="$page" -v b="$bare_rps" 'BEGIN {printf "%.2f", a / b}')"

say "(d) first-load transfer of the login page"
for path in /demo/login $(grep -o '/pkg/[A-Za-z0-9_.-]*\.\(css\|js\|wasm\)' "$work/login.html" | sort -u); do
  served=$(curl -s -o "$work/asset" -H 'Accept-Encoding: br, gzip' -w '%{size_download}' "$BENCH_BASE$path")
  curl -s -o "$work/plain" "$BENCH_BASE$path"
  brotli_size=$(brotli -c -q 11 "$work/plain" | wc -c)
  printf '%-32s %9s B plain  %8s B served  %8s B brotli\n' "$path" "$(wc -c < "$work/plain")" "$served" "$brotli_size"
done | sort -u | tee "$work/assets"
awk '{p+=$2; s+=$5; b+=$8} END {printf "first load: %.1f KB plain, %.1f KB as served, %.1f KB brotli\n", p/1000, s/1000, b/1000}' "$work/assets"

say "(e) a failed login: known user ID against unknown (100 each, alternating)"
for i in $(seq 100); do
  for who in "$user" "nobody$i"; do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "Origin: $BENCH_BASE" "$BENCH_BASE/api/login" \
      --data "tenant=demo&user_id=$who&password=wrong-Pass-9&second_password=")
    echo "$([ "$who" = "$user" ] && echo known || echo unknown) $t"
  done
done > "$work/timing"
for kind in known unknown; do
  awk -v k="$kind" '$1 == k {print $2 * 1000}' "$work/timing" | sort -n |
    awk -v k="$kind" '{v[NR]=$1; s+=$1} END {printf "%-7s median %.1f ms, mean %.1f ms (n=%d)\n", k, v[int((NR+1)/2)], s/NR, NR}'
done

say "(f) static assets against the login page"
wrk -t2 -c32 -d"${DURATION}s" "$BENCH_BASE/demo/login" > "$work/page32"
wrk -t2 -c32 -d"${DURATION}s" "$BENCH_BASE/pkg/shomei.css" > "$work/css32"
page32=$(requests_per_second < "$work/page32"); css32=$(requests_per_second < "$work/css32")
echo "login page $page32 req/s, /pkg/shomei.css $css32 req/s, ratio $(awk -v a="$css32" -v b="$page32" 'BEGIN {printf "%.2f", a / b}')"
second=$(curl -s -o /dev/null -o /dev/null -w '%{time_total}\n' "$BENCH_BASE/pkg/shomei.css" "$BENCH_BASE/pkg/shomei.css" | tail -1)
echo "second request for a static file on one connection: $(awk -v s="$second" 'BEGIN {printf "%.2f", s * 1000}') ms"

say "(g) what a second visit of the login page transfers"
# A browser keeps what is marked immutable; everything else it fetches again (the page) or
# revalidates (a 304 without a body).
second_visit=0
for path in /demo/login $(grep -o '/pkg/[A-Za-z0-9_.-]*\.\(css\|js\|wasm\)' "$work/login.html" | sort -u); do
  headers=$(curl -s -D - -o "$work/asset" -H 'Accept-Encoding: br, gzip' "$BENCH_BASE$path")
  if ! grep -qi '^cache-control:.*immutable' <<< "$headers"; then
    second_visit=$((second_visit + $(wc -c < "$work/asset")))
    echo "fetched again: $path"
  fi
done
echo "second visit: $(awk -v b="$second_visit" 'BEGIN {printf "%.1f", b / 1000}') KB (first load: see (d))"

say "(h) the certificate application page (signed in) against the login page"
# The bench student signs in with all three fields; the session cookie goes with every request.
rm -f "$jar"
post login "$BENCH_LOGIN_FORM"
session=$(awk '$6 ~ /shomei_session$/ {print $6 "=" $7}' "$jar")
[ -n "$session" ] || { echo "no session for the certificate page"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $session" "$BENCH_BASE/demo/certificates")
[ "$status" = 200 ] || { echo "the certificate page answered $status"; exit 1; }
wrk -t2 -c16 -d"${DURATION}s" --latency -H "Cookie: $session" "$BENCH_BASE/demo/certificates" > "$work/offers"
wrk -t2 -c16 -d"${DURATION}s" --latency "$BENCH_BASE/demo/login" > "$work/login16"
# The login page rendered for each request, as the certificate page is: a query string keeps
# it out of the page cache (server/src/login_page.rs), and the page ignores this one.
wrk -t2 -c16 -d"${DURATION}s" --latency "$BENCH_BASE/demo/login?bench=rendered" > "$work/login16r"
# The student's home page: another page rendered for one signed-in student.
wrk -t2 -c16 -d"${DURATION}s" --latency -H "Cookie: $session" "$BENCH_BASE/demo/home" > "$work/home16"
offers=$(requests_per_second < "$work/offers"); login16=$(requests_per_second < "$work/login16")
login16r=$(requests_per_second < "$work/login16r"); home16=$(requests_per_second < "$work/home16")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "certificate page $offers req/s (p50 $(percentile 50% < "$work/offers") ms, p99 $(percentile 99% < "$work/offers") ms, non-2xx $(non_2xx < "$work/offers")), login page $login16 req/s, ratio $(ratio "$offers" "$login16") (target >= 0.5)"
echo "  against the login page rendered each time: $login16r req/s (p50 $(percentile 50% < "$work/login16r") ms, non-2xx $(non_2xx < "$work/login16r")), ratio $(ratio "$offers" "$login16r")"
echo "  against the signed-in home page: $home16 req/s (p50 $(percentile 50% < "$work/home16") ms, non-2xx $(non_2xx < "$work/home16")), ratio $(ratio "$offers" "$home16")"

say "(i) a certificate's verification page (its id alone) against the login page"
# One certificate of enrollment issued to the bench student as the office would, signed with
# the benchmark's key secret; its page is public.
verification=$(./target/release/examples/issue_sample "$SHOMEI_DATABASE_URL" demo "$user")
status=$(curl -s -o /dev/null -w '%{http_code}' "$BENCH_BASE$verification")
[ "$status" = 200 ] || { echo "the verification page answered $status"; exit 1; }
wrk -t2 -c16 -d"${DURATION}s" --latency "$BENCH_BASE$verification" > "$work/verification"
wrk -t2 -c16 -d"${DURATION}s" --latency "$BENCH_BASE/demo/login" > "$work/login16v"
verify_rps=$(requests_per_second < "$work/verification"); login16v=$(requests_per_second < "$work/login16v")
echo "verification page $verify_rps req/s (p50 $(percentile 50% < "$work/verification") ms, p99 $(percentile 99% < "$work/verification") ms, non-2xx $(non_2xx < "$work/verification")), login page $login16v req/s, ratio $(awk -v a="$verify_rps" -v b="$login16v" 'BEGIN {printf "%.2f", a / b}') (target >= 0.5)"
