#!/usr/bin/env bash
# Creates the deployment's missing secrets in this folder (never overwrites one).
#   AR_BANK_SOURCE=/path/to/bank.json ./init-secrets.sh   copy an existing AR bank
# Compose mounts secret files as they are on the host, and the containers run as non-root users
# (ScrapeGuard 10001, Grafana 472, Alertmanager nobody): the files are readable (0644) inside a
# folder only its owner can enter (0700), which keeps other host users out.
set -euo pipefail
cd "$(dirname "$0")"
chmod 0700 .
umask 022
new() { [ -e "$1" ] && { echo "keep   $1"; return 1; }; echo "create $1"; }
if new seeding-key; then head -c 32 /dev/urandom | base64 > seeding-key; fi
if new grafana-admin-password; then head -c 18 /dev/urandom | base64 | tr -d '/+=' > grafana-admin-password; fi
for w in alert-webhook-critical alert-webhook-warning; do
  if new "$w"; then echo "http://127.0.0.1:9/replace-me-with-your-webhook" > "$w"; fi
done
if new ar-bank.json; then
  if [ -z "${AR_BANK_SOURCE:-}" ]; then
    echo "init-secrets: set AR_BANK_SOURCE=/path/to/bank.json (your AR process bank, core's ProcessBank JSON)." >&2
    echo "  Keep it secret: whoever has it can filter the perturbation out. (Without GUARD_BANK_FILE the" >&2
    echo "  poisoner falls back to the paper's ten public processes: for demos only.)" >&2
    exit 1
  fi
  # not cp: it would keep a 0600 source's mode, which uid 10001 in the containers cannot read
  install -m 0644 "$AR_BANK_SOURCE" ar-bank.json
fi
# files kept from an earlier run (or copied by hand) get the same mode; the 0700 folder is the
# lock that keeps other host users out
chmod 0644 seeding-key grafana-admin-password alert-webhook-critical alert-webhook-warning \
    ar-bank.json
