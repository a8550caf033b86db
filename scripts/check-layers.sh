#!/usr/bin/env bash
# Checks the import rules of docs/ARCHITECTURE.md that the compiler cannot: which crate and
# which context may use which. Prints every broken rule and exits non-zero if there is one.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

broken=0
# rule DESCRIPTION PATTERN PATH...: no line under PATH may match PATTERN (extended regex).
rule() {
  local description=$1 pattern=$2
  shift 2
  local found
  found=$(grep -rnE --include='*.rs' --include='Cargo.toml' "$pattern" "$@" 2>/dev/null)
  if [ -n "$found" ]; then
    printf '\033[31mbroken:\033[0m %s\n%s\n' "$description" "$found"
    broken=1
  fi
}

# Crates.
# sea-orm only as an optional feature (`db`), for the column types of the stored statuses.
rule "domain uses nothing of ours and does no I/O" \
  '^(app|backend|server|migration|tokio|leptos[a-z_]*|axum|http) *=|^sea-orm *= *\{ *workspace *= *true *\}|(backend|app|server|tokio|leptos|axum|http)::' \
  domain
rule "only the server links the PDF adapter (krilla and its fonts stay out of the rest)" \
  '^(shomei-pdf|krilla|skrifa) *=|\bshomei_pdf::' \
  domain backend app frontend
rule "backend never depends on leptos, axum or http" \
  '^(leptos[a-z_]*|axum|http|tower[a-z-]*|app|server) *=|\b(leptos[a-z_]*|axum|http|tower_http|app|server)::' \
  backend

# Contexts inside backend: platform ← tenancy ← registry ← account ← wallet ← certificates ←
# machines.
# Staff stand on tenancy alone; a service checks a staff member's permission through domain
# types, never by importing staff.
rule "platform imports no context" \
  'crate::(tenancy|registry|account|wallet|certificates|machines|staff)\b' backend/src/platform
rule "tenancy stands on platform alone" \
  'crate::(registry|account|wallet|certificates|machines|staff)\b' backend/src/tenancy
rule "staff stand on tenancy alone" \
  'crate::(registry|account|wallet|certificates|machines)\b' backend/src/staff
rule "no context imports staff" \
  'crate::staff\b' backend/src/registry backend/src/account backend/src/wallet \
  backend/src/certificates backend/src/machines
rule "registry does not know accounts, the wallet, certificates or machines" \
  'crate::(account|wallet|certificates|machines)\b' backend/src/registry
rule "accounts do not know the wallet, certificates or machines" \
  'crate::(wallet|certificates|machines)\b' backend/src/account
rule "the wallet does not know certificates or machines" \
  'crate::(certificates|machines)\b' backend/src/wallet
rule "certificates do not know machines" \
  'crate::machines\b' backend/src/certificates
rule "a context reaches another only through its mod.rs" \
  'crate::(registry|account|wallet|certificates|machines|staff)::[a-z_]+::' backend/src

# Inside app.
rule "server functions never touch entities or platform internals" \
  'backend::(entities|platform)|sea_orm' app/src/api
rule "pages never import each other (what two need is a component)" \
  '(crate::pages::|use super::[a-z_]+::|use super::\{)' app/src/pages
rule "every cookie is built in app/src/web/cookies.rs (one Secure rule)" \
  'SameSite=|HttpOnly;' app/src/api app/src/pages app/src/components server/src backend/src

# End-to-end tests.
found=$(grep -nE "import \{[^}]*\btest\b[^}]*\} from '@playwright/test'" end2end/tests/*.spec.ts)
if [ -n "$found" ]; then
  printf '\033[31mbroken:\033[0m %s\n%s\n' \
    "every spec takes test from fixtures/checked.ts, so each page it visits is checked" "$found"
  broken=1
fi

if [ "$broken" = 0 ]; then
  echo "layers: every import rule holds"
fi
exit "$broken"
