#!/usr/bin/env bash
# Makes sure prometheus, promtool and prometheus-pushgateway are installed (Debian packages).
# Used by .ci/run and by the tests that start a real Prometheus or Pushgateway.
set -euo pipefail
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-pushgateway >/dev/null 2>&1 || missing+=(prometheus-pushgateway)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-prometheus: missing ${pkgs}and apt-get is not available; install the Debian packages 'prometheus' and 'prometheus-pushgateway' (or put their binaries on PATH)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "ensure-prometheus: missing ${pkgs}and not root (no sudo): run 'apt-get install -y prometheus prometheus-pushgateway' as root" >&2
    exit 1
  fi
fi
echo "ensure-prometheus: installing ${pkgs}" >&2
$sudo apt-get update -qq
# The packages' services are not needed: the tests start their own instances on free ports.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ${pkgs} >&2
