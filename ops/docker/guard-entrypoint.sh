#!/usr/bin/env bash
# Entry point of ScrapeGuard's images: ./guard without the build step. Arguments are a ./guard
# command line (e.g. `publish <dir> ...`); JAVA_OPTS sizes the JVM.
set -euo pipefail
# The paper profile trains ResNet-18 canaries on a GPU; these images carry CPU-only PyTorch and
# never download (offline): say so at once instead of failing deep inside the first audit.
for arg in "$@"; do
    if [[ "$arg" == *auditor.profile=paper* ]]; then
        echo "guard: AUDIT_PROFILE=paper needs a GPU build of PyTorch, and this image has the" \
            "CPU-only one. Use AUDIT_PROFILE=cpu-small here, or run the paper profile with" \
            "./guard audit on a machine with a GPU (docs/audit.md, profiles)." >&2
        exit 2
    fi
done
# The same JVM options as ./guard: DJL never downloads (PyTorch ships in the image), native access
# for PyTorch's JNI library. JAVA_OPTS is a list of JVM flags: split on whitespace on purpose.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -Dguard.home="${GUARD_HOME:-/app}" \
    --enable-native-access=ALL-UNNAMED \
    -cp "/app/classes:/app/lib/*" io.scrapeguard.cli.Guard "$@"
