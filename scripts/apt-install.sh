#!/usr/bin/env bash
# apt-install.sh WHO PACKAGE... — install Debian packages for the project's tests (as root, or with
# sudo), saying clearly why not when it cannot. Used by ensure-chromium.sh and ensure-prometheus.sh.
set -euo pipefail
who=$1
shift
pkgs="$*"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "${who}: missing ${pkgs} and apt-get is not available; install the Debian package(s) ${pkgs} (or put their binaries on PATH)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "${who}: missing ${pkgs} and not root (no sudo): run 'apt-get install -y ${pkgs}' as root" >&2
    exit 1
  fi
fi
echo "${who}: installing ${pkgs}" >&2
$sudo apt-get update -qq
# Services the packages bring are not needed: the tests start their own instances on free ports.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ${pkgs} >&2
