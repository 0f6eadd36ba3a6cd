#!/usr/bin/env bash
# Make sure the Debian packages behind static export and the browser tests are present:
#   chromium-headless-shell  Kaleido's export browser (no browser profile, so it never calls Google)
#   chromium                 the browser tests (Playwright)
#   strace                   with --test: the offline-export test watches the export with it
#   nginx                    with --test: the replica test puts it in front of three servers (never as a service)
# Installs what is missing with apt when run as root on Debian/Ubuntu; otherwise says what is missing.
# Exit 0 when everything is available; 1 when not (callers decide whether that matters).
set -u
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]; }
missing=()
have chromium || have chromium-browser || [ -x "${BROWSER_PATH:-/nonexistent}" ] || missing+=(chromium)
have chromium-headless-shell || missing+=(chromium-headless-shell)
if [ "${1:-}" = "--test" ]; then
  have strace || missing+=(strace)
  have nginx || [ -x /usr/sbin/nginx ] || missing+=(nginx)  # sbin: not on every user's PATH
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get (needed for image export and the tests)..."
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "apt-get could not install ${missing[*]}." >&2
fi
cat >&2 <<MSG
Not installed: ${missing[*]}. The dashboard runs without them, but image export (PNG/SVG/PDF)
needs chromium-headless-shell, the browser tests need chromium, the offline-export test strace and
the replica test nginx.
Install them as root with:
    apt-get update && apt-get install -y ${missing[*]}
MSG
exit 1
