#!/usr/bin/env bash
# The WebKit walk (walk.py) on ports of its own: starts the SMTP sink and the debug server
# (start-server.sh, on a database of its own), runs the walk in MiniBrowser on a virtual
# 390 × 844 screen, and stops both. Needs the debug build (tools/build-site.mjs) and the
# packages scripts/setup.sh installs (webkit2gtk-driver, xvfb, selenium in webkit/.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${E2E_WEBKIT_PORT:-3110}
smtp_port=${E2E_WEBKIT_SMTP_PORT:-2535}
sink_port=${E2E_WEBKIT_SINK_PORT:-2536}

SMTP_PORT=$smtp_port HTTP_PORT=$sink_port node smtp-sink.mjs >/dev/null &
sink=$!
E2E_PORT=$port E2E_SMTP_PORT=$smtp_port E2E_DATA=target/e2e-webkit ./start-server.sh &
server=$!
trap 'kill $sink $server 2>/dev/null || true' EXIT

for _ in $(seq 150); do
  if curl -fs "http://127.0.0.1:$port/e2e/login" >/dev/null \
    && curl -fs "http://127.0.0.1:$sink_port/" >/dev/null; then
    break
  fi
  sleep 0.2
done

E2E_BASE_URL="http://127.0.0.1:$port" E2E_SINK_URL="http://127.0.0.1:$sink_port" \
  xvfb-run -a -s "-screen 0 390x844x24" webkit/.venv/bin/python webkit/walk.py
