#!/usr/bin/env bash
# Sets up what is missing and runs every check: format, lints of both builds, unit tests,
# integration tests on SQLite and on PostgreSQL, and the Playwright tests in Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# Each step says how long the run has taken so far: CI stops a run at 90 minutes.
step() { printf '\n\033[1m== %s\033[0m (at %dm%02ds)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "format"
cargo fmt --all -- --check

step "layers: what may import what (docs/ARCHITECTURE.md)"
./scripts/check-layers.sh

step "lints: server build (ssr)"
cargo clippy -p domain -p backend --features backend/testing --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p shomei-pdf --all-targets -- -D warnings
cargo clippy -p app --features ssr --all-targets -- -D warnings
step "lints: browser build (hydrate)"
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
step "lints: fuzz targets (they build here; scripts/fuzz.sh runs them)"
cargo clippy -p shomei-fuzz -- -D warnings

step "unit tests"
cargo test -p domain -p backend
cargo test -p app --features ssr
cargo test -p server --bins --lib
# Certificates rendered in the shipped font and read back with pdftotext.
cargo test -p shomei-pdf

# One test at a time: each test starts its own server on its own runtime, and with several
# at once in one process an SSR response was seen to hang (twice in about a dozen runs; never
# with one server per process, the production shape). Sequential, the suite takes ~20 s.
step "service tests (no HTTP) on SQLite and on PostgreSQL"
SHOMEI_TEST_DATABASE=sqlite cargo test -p backend --features testing --test services
SHOMEI_TEST_DATABASE=postgres cargo test -p backend --features testing --test services

step "integration tests on SQLite"
SHOMEI_TEST_DATABASE=sqlite cargo test -p server --test api -- --test-threads=1

step "integration tests on PostgreSQL (${SHOMEI_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres})"
SHOMEI_TEST_DATABASE=postgres cargo test -p server --test api -- --test-threads=1

step "end-to-end tests (Playwright: Chromium and Firefox, desktop and phone)"
# The tests' debug build must leave the release site that scripts/run.sh serves alone.
release_site="$(node tools/build-site.mjs --release --print-site)"
mkdir -p "$release_site" && : > "$release_site/.left-alone-by-the-debug-build"
node tools/build-site.mjs
[ -e "$release_site/.left-alone-by-the-debug-build" ] \
  || { echo "the debug build removed the release site $release_site" >&2; exit 1; }
rm "$release_site/.left-alone-by-the-debug-build"
# The islands link only the field messages (docs/PERFORMANCE.md): checked in the WASM just built.
SHOMEI_CHECK_WASM="$PWD/target/site/pkg/shomei.wasm" cargo test -p server --test islands_wasm -- --ignored
(cd end2end && npx playwright test)

step "end-to-end walk in WebKit (the engine of iPhone Safari), 390 px"
end2end/webkit/run.sh

step "done"
