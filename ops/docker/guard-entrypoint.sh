#!/usr/bin/env bash
# Entry point of ScrapeGuard's images: ./guard without the build step. Arguments are a ./guard
# command line (e.g. `publish <dir> ...`); JAVA_OPTS sizes the JVM.
set -euo pipefail
# The same JVM options as ./guard: DJL never downloads (PyTorch ships in the image), native access
# for PyTorch's JNI library. JAVA_OPTS is a list of JVM flags: split on whitespace on purpose.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -Dguard.home="${GUARD_HOME:-/app}" \
    --enable-native-access=ALL-UNNAMED \
    -cp "/app/classes:/app/lib/*" io.scrapeguard.cli.Guard "$@"
