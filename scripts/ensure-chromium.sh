#!/usr/bin/env bash
# Makes sure Chromium is installed (the Debian package `chromium`, at /usr/bin/chromium).
# Used by .ci/run and by the browser tests (test/browser/), which drive it with playwright-core.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium is missing and apt-get is not available; install the Debian package 'chromium'" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "ensure-chromium: /usr/bin/chromium is missing and not root (no sudo): run 'apt-get install -y chromium' as root" >&2
    exit 1
  fi
fi
echo "ensure-chromium: installing chromium" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
