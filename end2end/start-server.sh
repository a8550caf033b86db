#!/usr/bin/env bash
# Starts the built server for the end-to-end tests on a fresh SQLite file, with two
# universities: `e2e` (default link lifetime) and `e2e-quick` (links expire after 5 s).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./target/debug/shomei
data=${E2E_DATA:-target/e2e}
rm -rf "$data" && mkdir -p "$data"
export SHOMEI_DATABASE_URL="sqlite://$data/e2e.db?mode=rwc"
export SHOMEI_SMTP_URL="smtp://127.0.0.1:${E2E_SMTP_PORT:-2525}"
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
export SHOMEI_PUBLIC_URL="http://$LEPTOS_SITE_ADDR"
export LEPTOS_SITE_ROOT=target/site
export SHOMEI_LOG="${SHOMEI_LOG:-warn}"
# Every test browser is 127.0.0.1; the per-address limit has its own integration tests.
export SHOMEI_CLIENT_REQUESTS_PER_MINUTE=0
# M.I.Cオンラインチャージ through the built-in development gateway (test card numbers).
export SHOMEI_PAYMENT_GATEWAY=dev
# Seals the universities' signing keys (issued certificates are signed): a fixed secret of the
# tests, never a deployment's.
export SHOMEI_KEYS_SECRET="the key secret of shomei's end-to-end tests"
$bin tenant add e2e --name "E2E大学" --name-en "E2E University" \
  --notes-ja "E2E大学の注意事項: 第2パスワードは他人に教えないでください。" \
  --notes-en "E2E University notes: never share your second password." \
  --helpdesk-ja "E2E大学 学生課 電話 000-2222-3333" --helpdesk-en "E2E University Student Affairs, phone 000-2222-3333" \
  --portal-origin "${E2E_PORTAL_ORIGIN:-http://localhost:3200}" >/dev/null
$bin tenant set e2e --card-name M.I.C >/dev/null
$bin tenant add e2e-quick --name "E2E即時大学" --token-ttl-seconds 5 >/dev/null
$bin students import --tenant e2e end2end/fixtures/students.csv >/dev/null
$bin students import --tenant e2e-quick end2end/fixtures/students.csv >/dev/null
# The demo university's catalogue: what 各種証明書のオンライン申請 offers.
$bin catalogue import --tenant e2e catalogues/demo.toml >/dev/null
exec $bin serve
