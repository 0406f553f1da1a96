#!/usr/bin/env bash
# Regenerates the recorded counterexamples with the real CLI: every design of
# each model given (default: every built-in model) is checked with --continue,
# and each violation is written here by --trace-out. Run after `npx tsc -p .`.
#   bash traces/examples/generate.sh [model...]
set -euo pipefail
cd "$(dirname "$0")/../.."
here=traces/examples
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  mapfile -t models < <(node bin/daxcheck.js models | grep -v '^ ' | cut -f1)
fi
for m in "${models[@]}"; do
  rm -f "$here/$m".*.itf.json
  for d in $(node bin/daxcheck.js designs "$m" | grep -v '^ ' | cut -f1 | cut -d' ' -f1); do
    # Exit 1 means a violation, which is what we are collecting.
    node bin/daxcheck.js check "$m" --design "$d" --continue --no-coverage --trace-out "$here" >/dev/null || [ $? -eq 1 ]
  done
done
ls "$here"/*.itf.json
