#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright's own browser download cannot work here).
# Installs it with apt when it is missing and we are root; otherwise says why the browser tests will skip
# (under CI=true they fail instead).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium with apt-get (for the browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
else
  echo "note: /usr/bin/chromium is missing and apt-get cannot run here; the browser tests will be skipped" >&2
fi
