#!/usr/bin/env bash
# Before `npm run test:dataplane`: the strongSwan packages the dataplane harness runs (one IKE daemon per tunnel
# end, user-space ESP). Installs them when they are missing and this runs as root (CI does); otherwise stops
# and says what is missing and how to get it. Namespaces, /dev/net/tun and the rest are checked by the suite.
set -euo pipefail
PACKAGES=(strongswan-swanctl charon-systemd libcharon-extra-plugins libstrongswan-extra-plugins)
NEEDED=(/usr/sbin/charon-systemd /usr/sbin/swanctl /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so)
# a test points this at a file that does not exist to see the message a machine without strongSwan gets
if [[ -n "${DATAPLANE_SETUP_PROBE:-}" ]]; then NEEDED=("$DATAPLANE_SETUP_PROBE"); fi
missing=()
for f in "${NEEDED[@]}"; do [[ -e "$f" ]] || missing+=("$f"); done
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "test:dataplane needs strongSwan (missing: ${missing[*]}) and root for network namespaces." >&2
  echo "As root: apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "test:dataplane needs the Debian packages ${PACKAGES[*]} (missing: ${missing[*]}); this machine has no apt-get." >&2
  exit 1
fi
echo "installing ${PACKAGES[*]} (missing: ${missing[*]})" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null ||
  { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null; }
