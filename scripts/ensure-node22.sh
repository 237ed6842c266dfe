#!/usr/bin/env bash
# Makes sure a Node 22 binary exists at .cache/node22/bin/node (the official MCP conformance suite
# needs Node >= 22, while the project itself runs on Node 20.19+). On Node >= 22 it links the running
# node; otherwise it installs the npm package `node@22` into .cache/node22 (the npm registry only).
# Prints the binary's path. Used by .ci/run and by the conformance tests (test/conformance/).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/node22"
bin="$dir/bin/node"
if [ -x "$bin" ] && "$bin" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  echo "$bin"; exit 0
fi
mkdir -p "$dir/bin"
current="$(command -v node)"
if "$current" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  ln -sf "$current" "$bin"
else
  npm install --prefix "$dir/pkg" --no-audit --no-fund --no-save node@22 >&2
  ln -sf "$dir/pkg/node_modules/node/bin/node" "$bin"
fi
"$bin" --version >&2
echo "$bin"
