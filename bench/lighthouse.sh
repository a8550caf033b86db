#!/usr/bin/env bash
# Lighthouse's mobile scores (performance, accessibility, best practices, SEO) for each kind of
# page, on the release build with the demo university, as docs/PERFORMANCE.md reports them.
# A measure, not part of CI. Usage: bench/lighthouse.sh. Port 3410 must be free.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
if [ ! -x bench/lighthouse/node_modules/.bin/lighthouse ]; then
  say "installing Lighthouse 12.2.3 (bench/lighthouse)"
  (cd bench/lighthouse && npm install --no-audit --no-fund --silent)
fi

say "building the release"
node tools/build-site.mjs --release >/dev/null 2>&1 || node tools/build-site.mjs --release

work=$(mktemp -d)
port=3410
base="http://127.0.0.1:$port"
export SHOMEI_DATABASE_URL="sqlite://$work/lighthouse.db?mode=rwc"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export SHOMEI_PUBLIC_URL="$base"
export LEPTOS_SITE_ROOT="$(node tools/build-site.mjs --release --print-site)"
export SHOMEI_LOG=error
# The student's registration link is read from the development mailbox.
export SHOMEI_DEV_MAILBOX=1
unset SHOMEI_SMTP_URL SHOMEI_CONFIG
./target/release/shomei demo >/dev/null
./target/release/shomei serve & server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf -o /dev/null "$base/demo/login"; do sleep 0.2; done

# A student of the demo university finishes the first login, as a browser would, so the
# signed-in pages can be measured with the session's cookie.
jar="$work/cookies"
post() { curl -sf -o /dev/null -b "$jar" -c "$jar" -H "Origin: $base" "$base/api/$1" --data "$2"; }
user=s2401002 password=campus-Pass-1002 second=Lighthouse-2026
post login "tenant=demo&user_id=$user&password=$password&second_password="
post register_email "tenant=demo&email=lh%40example.ac.jp&email_confirmation=lh%40example.ac.jp"
token=$(curl -sf "$base/dev/mailbox" | grep -o 'token=[A-Za-z0-9_-]\{43\}' | head -1 | cut -d= -f2)
post confirm_email "tenant=demo&token=$token"
post login "tenant=demo&user_id=$user&password=$password&second_password="
post setup_second_password "tenant=demo&second_password=$second&second_password_confirmation=$second"
post login "tenant=demo&user_id=$user&password=$password&second_password=$second"
session=$(awk '$6 ~ /session/ {print $6 "=" $7}' "$jar" | tail -1)
[ -n "$session" ] || { echo "the student could not log in" >&2; exit 1; }

score() {
  local name=$1 path=$2 headers=${3:-"{}"}
  CHROME_PATH=${CHROMIUM_PATH:-/usr/bin/chromium} bench/lighthouse/node_modules/.bin/lighthouse \
    "$base$path" --quiet --form-factor=mobile --screenEmulation.mobile \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu" \
    --extra-headers="$headers" --output=json --output-path="$work/$name.json"
  node -e '
    const report = require(process.argv[1]);
    const c = report.categories;
    const s = (k) => Math.round(c[k].score * 100);
    // The page measured, after any redirect: a signed-in page must not be the login page.
    const shown = new URL(report.finalDisplayedUrl).pathname;
    console.log(`| ${process.argv[2]} | \`${shown}\` | ${s("performance")} | ${s("accessibility")} | ${s("best-practices")} | ${s("seo")} |`);
  ' "$work/$name.json" "$name" "$path"
}

signed_in="{\"Cookie\": \"$session\"}"
echo
echo "| page | measured at | performance | accessibility | best practices | SEO |"
echo "|---|---|---|---|---|---|"
score "university list" "/"
score "login" "/demo/login"
score "login, English" "/demo/login?lang=en"
score "manual" "/demo/manual"
score "second password forgotten" "/demo/second-password/forgot"
score "home (signed in)" "/demo/home" "$signed_in"
score "email change (signed in)" "/demo/email/change" "$signed_in"
score "second password change (signed in)" "/demo/second-password/change" "$signed_in"
