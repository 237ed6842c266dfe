#!/usr/bin/env bash
# Makes sure Chromium is installed (the Debian package `chromium`, at /usr/bin/chromium).
# Used by .ci/run and by the browser tests (test/browser/), which drive it with playwright-core.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
"$(dirname "$0")/apt-install.sh" ensure-chromium chromium
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
