#!/usr/bin/env bash
# Copies the front-end assets from npm (package.json) into static/vendor, where Django serves them.
# Run after changing a version in package.json; the copied files are committed, so running the
# app needs neither npm nor a network.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund
dest=static/vendor
rm -rf "$dest" && mkdir -p "$dest/utrecht" "$dest/htmx"
cp node_modules/@utrecht/component-library-css/dist/index.css "$dest/utrecht/component-library.css"
cp node_modules/@utrecht/design-tokens/dist/theme.css "$dest/utrecht/design-tokens.css"
cp node_modules/@utrecht/component-library-css/LICENSE.md "$dest/utrecht/LICENSE.md" 2>/dev/null \
  || cp node_modules/@utrecht/design-tokens/LICENSE.md "$dest/utrecht/LICENSE.md"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$dest/htmx/LICENSE"
echo "vendored into $dest"
