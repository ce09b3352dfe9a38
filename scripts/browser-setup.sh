#!/usr/bin/env bash
# Before `npm run test:fidelity`: Debian's Chromium, which the status page test drives headless (playwright-core with
# executablePath /usr/bin/chromium; no browser is ever downloaded). Installs it when it is missing and this runs as
# root (CI does); otherwise stops and says what is missing and how to get it.
set -euo pipefail
PACKAGES=(chromium)
NEEDED=(/usr/bin/chromium)
# a test points this at a file that does not exist to see the message a machine without Chromium gets
if [[ -n "${BROWSER_SETUP_PROBE:-}" ]]; then NEEDED=("$BROWSER_SETUP_PROBE"); fi
missing=()
for f in "${NEEDED[@]}"; do [[ -e "$f" ]] || missing+=("$f"); done
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "test:fidelity needs Debian's Chromium for the status page test (missing: ${missing[*]})." >&2
  echo "As root: apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "test:fidelity needs the Debian package ${PACKAGES[*]} (missing: ${missing[*]}); this machine has no apt-get." >&2
  exit 1
fi
echo "installing ${PACKAGES[*]} (missing: ${missing[*]})" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null ||
  { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null; }
