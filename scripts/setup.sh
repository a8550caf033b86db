#!/usr/bin/env bash
# Installs whatever this machine lacks to build, run and test shomei, and nothing it has.
# Safe to run again; each step checks first. Sourced by run.sh and test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# tools/build-site.mjs (and cargo-leptos, for `watch`) run whatever wasm-bindgen is on PATH;
# it must match the crate exactly. cargo-leptos itself is not needed to build, serve or test.
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file names a crate version that no longer resolves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -x tools/node_modules/.bin/lightningcss ] \
  || [ ! -x tools/node_modules/.bin/esbuild ]; then
  say "installing the site's build tools (npm: binaryen, lightningcss, esbuild)"
  (cd tools && npm install --no-audit --no-fund --silent)
fi

if [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/smtp-server ] \
  || [ ! -d end2end/node_modules/@axe-core/playwright ]; then
  say "installing the end-to-end test packages"
  # Playwright's npm package downloads no browser; Debian's Chromium is used instead.
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent)
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
# The other engines of the tests: Firefox ESR (Playwright over WebDriver BiDi), and WebKit,
# the engine of iPhone Safari (MiniBrowser driven by WebKitWebDriver, on a virtual screen).
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null || missing+=(xvfb)
command -v curl >/dev/null || missing+=(curl)
# Without a CJK font, Japanese renders as boxes and layouts shift.
# Not `grep -q`: it stops reading early, fc-list dies of SIGPIPE and pipefail calls it missing.
fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null || missing+=(fonts-noto-cjk)
# The certificates' type (IPAex Mincho, subset into each PDF; licence in licenses/), and poppler's
# pdftotext and pdftoppm, with which the tests read the PDFs back.
[ -e /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf ] || missing+=(fonts-ipaexfont-mincho)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# zbarimg: the tests read each certificate's QR code back as a phone would.
command -v zbarimg >/dev/null || missing+=(zbar-tools)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The WebKit walk's WebDriver client (end2end/webkit/walk.py), at the versions pinned there.
if ! end2end/webkit/.venv/bin/python -c 'import selenium' 2>/dev/null; then
  say "installing the WebKit walk's Python packages (selenium)"
  python3 -m venv end2end/webkit/.venv
  end2end/webkit/.venv/bin/pip install --quiet --requirement end2end/webkit/requirements.txt
fi
