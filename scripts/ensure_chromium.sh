#!/usr/bin/env bash
# Make sure Debian Chromium is present for static export (Kaleido) and browser tests.
# Installs it with apt when run as root on Debian/Ubuntu; otherwise says what is missing.
# Exit 0 when Chromium is available; 1 when it is not (callers decide whether that matters).
set -u
for candidate in "${BROWSER_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium with apt-get (needed for image export and browser tests)..."
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
    exit 0
  fi
  echo "apt-get could not install chromium." >&2
fi
cat >&2 <<'MSG'
Chromium is not installed. The dashboard runs without it, but image export (PNG/SVG/PDF)
and the browser tests need it. Install it as root with:
    apt-get update && apt-get install -y chromium
MSG
exit 1
