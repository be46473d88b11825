#!/usr/bin/env bash
# Propagation benchmark: stock changes over HTTP at a fixed rate across many SKUs, each SKU listed on eBay-, Shopify- and
# webhook-limited channels whose marketplaces record when each listing version is applied (tests/InventorySync.PropagationBench,
# node in-process, Release, SQLite). Runs the "sized" scenario (each channel lists what its limits can carry) and the
# "everywhere" scenario (every SKU on every channel), and writes bench-results/propagation-<timestamp>.md.
# Environment: RATE (changes/s, default 1000), SKUS (default 1000), DURATION (s, default 30), WARMUP (s, default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-1000}
skus=${SKUS:-1000}
duration=${DURATION:-30}
warmup=${WARMUP:-5}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench-results
report="bench-results/propagation-$stamp.md"
work=$(mktemp -d /tmp/inventorysync-propagation-XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "building Release"
dotnet build -c Release -nologo -v q tests/InventorySync.PropagationBench >/dev/null

run() {
  local scenario=$1
  local args=(--rate "$rate" --skus "$skus" --duration "$duration" --warmup "$warmup" --scenario "$scenario" --out "$work/$scenario.md")
  echo "dotnet run -c Release --no-build --project tests/InventorySync.PropagationBench -- ${args[*]}" >>"$work/commands"
  dotnet run -c Release --no-build --project tests/InventorySync.PropagationBench -- "${args[@]}" >"$work/$scenario.log" 2>&1 \
    || { tail -40 "$work/$scenario.log"; exit 1; }
}
run sized
run everywhere

{
  echo "# Propagation benchmark, $stamp"
  echo
  echo "Commit \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes under src/)'), $(nproc) cores, $(dotnet --version) SDK;"
  echo "one node (Release, SQLite) and the load generator in one process; marketplaces apply every update at once."
  echo "Channel limits: eBay 50 calls/s (eBay documents daily quotas and at most 18 concurrent calls; burst 18), batch 25;"
  echo "Shopify 2 calls/s, burst 2, batch 250; web shop webhook 50 calls/s, burst 5, batch 1."
  echo "Each change is a receipt or write-off of one unit (stock stays within 480–520), so every change moves every listing of its SKU."
  echo
  echo "## sized: each channel lists what its limits can carry at this rate"
  echo "(eBay every SKU; Shopify 2 in 5 SKUs, 400 changes/s for 500 updates/s of capacity; web shop 1 in 25, 40 changes/s for 50 calls/s)"
  echo
  cat "$work/sized.md"
  echo
  echo "## everywhere: every SKU on every channel"
  echo "(demand beyond Shopify's 500 and the web shop's 50 updates/s: coalescing bounds what each listing waits)"
  echo
  cat "$work/everywhere.md"
  echo
  echo "Commands:"
  echo
  sed 's/^/    /' "$work/commands"
} >"$report"
echo "wrote $report"
cat "$report"
