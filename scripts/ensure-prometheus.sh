#!/usr/bin/env bash
# Makes sure prometheus, promtool and prometheus-pushgateway are installed (Debian packages).
# Used by .ci/run and by the tests that start a real Prometheus or Pushgateway.
set -euo pipefail
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-pushgateway >/dev/null 2>&1 || missing+=(prometheus-pushgateway)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
# shellcheck disable=SC2046
"$(dirname "$0")/apt-install.sh" ensure-prometheus $(printf '%s\n' "${missing[@]}" | sort -u)
