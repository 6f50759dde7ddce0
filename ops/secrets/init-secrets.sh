#!/usr/bin/env bash
# Creates the deployment's missing secrets in this folder (never overwrites one), mode 600.
#   AR_BANK_SOURCE=/path/to/bank.json ./init-secrets.sh   copy an existing AR bank
set -euo pipefail
cd "$(dirname "$0")"
umask 077
new() { [ -e "$1" ] && { echo "keep   $1"; return 1; }; echo "create $1"; }
if new seeding-key; then head -c 32 /dev/urandom | base64 > seeding-key; fi
if new grafana-admin-password; then head -c 18 /dev/urandom | base64 | tr -d '/+=' > grafana-admin-password; fi
for w in alert-webhook-critical alert-webhook-warning; do
  if new "$w"; then echo "http://127.0.0.1:9/replace-me-with-your-webhook" > "$w"; fi
done
if new ar-bank.json; then
  if [ -n "${AR_BANK_SOURCE:-}" ]; then
    cp "$AR_BANK_SOURCE" ar-bank.json
  else
    # the project's own generator (core): a fresh bank of AR processes
    ../../guard bank generate --out ar-bank.json
  fi
fi
