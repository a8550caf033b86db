#!/usr/bin/env bash
# Sets up what is missing, builds the release, creates the demo university and serves it at
# http://127.0.0.1:3000/demo/login (mail shown at /dev/mailbox, to this machine only, unless
# SHOMEI_SMTP_URL is set).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
node tools/build-site.mjs --release
# The release site, apart from the debug one the tests build (tools/build-site.mjs).
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$(node tools/build-site.mjs --release --print-site)}"
./target/release/shomei demo
echo "Open http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}/demo/login"
# The development mailbox shows every mail with its live link: on for this local demo only.
export SHOMEI_DEV_MAILBOX="${SHOMEI_DEV_MAILBOX:-1}"
# The development payment gateway (test card numbers) for M.I.Cオンラインチャージ: this local
# demo only. The server refuses it with an https public URL.
export SHOMEI_PAYMENT_GATEWAY="${SHOMEI_PAYMENT_GATEWAY:-dev}"
# The key secret that seals the universities' signing keys (certificates are signed when
# issued): made once for this demo and kept beside it, so its certificates still open after a
# restart. A deployment configures its own (README, SHOMEI_KEYS_SECRET).
if [ -z "${SHOMEI_KEYS_SECRET:-}" ]; then
  secret_file=${SHOMEI_KEYS_SECRET_FILE:-.demo-keys-secret}
  [ -s "$secret_file" ] || (umask 077 && head -c 32 /dev/urandom | base64 > "$secret_file")
  SHOMEI_KEYS_SECRET="$(cat "$secret_file")"
  export SHOMEI_KEYS_SECRET
fi
exec ./target/release/shomei serve
