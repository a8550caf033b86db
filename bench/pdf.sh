#!/usr/bin/env bash
# How long a certificate's PDF takes to make, and how big it is (docs/PERFORMANCE.md,
# issue #17): a one-page certificate and a transcript of about four pages, in a release
# build, with the shipped font. Not part of CI. Usage: bench/pdf.sh [runs, default 200]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release -p shomei-pdf --example render_speed -q
./target/release/examples/render_speed "${1:-200}"
for name in one_page transcript; do
  echo "$name pages=$(pdfinfo "target/bench-pdf/$name.pdf" | awk '/^Pages:/ {print $2}')"
done
