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
exec ./target/release/shomei serve
