#!/usr/bin/env bash
# Rebuild twitter-text.min.js from the pinned npm packages (package.json and
# package-lock.json here). Runs npm in a temporary folder, so no
# node_modules is left under static/ for collectstatic to pick up.
#
#   static/vendor/twitter-text/build.sh            # rebuild
#   static/vendor/twitter-text/build.sh --update   # also refresh package-lock.json
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cp "$HERE/package.json" "$HERE/entry.js" "$WORK/"
cd "$WORK"
if [ "${1:-}" = "--update" ] || [ ! -f "$HERE/package-lock.json" ]; then
  npm install --no-audit --no-fund
  cp package-lock.json "$HERE/package-lock.json"
else
  cp "$HERE/package-lock.json" .
  npm ci --no-audit --no-fund
fi
npm run --silent build
cp twitter-text.min.js "$HERE/twitter-text.min.js"
cp node_modules/twitter-text/LICENSE "$HERE/LICENSE"
echo "Built $HERE/twitter-text.min.js ($(wc -c <"$HERE/twitter-text.min.js") bytes)."
