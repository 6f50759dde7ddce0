#!/usr/bin/env bash
# Entry point of ScrapeGuard's images: ./guard without the build step. Arguments are a ./guard
# command line (e.g. `publish <dir> ...`); JAVA_OPTS sizes the JVM.
set -euo pipefail
# The same JVM options as ./guard: DJL does not download (PyTorch ships in the image or is
# mounted) unless JAVA_OPTS says -Dai.djl.offline=false: it comes later, and the last -D of a
# name wins. Native access for PyTorch's JNI library. JAVA_OPTS is a list of JVM flags: split on
# whitespace on purpose.
# shellcheck disable=SC2086
exec java -Dai.djl.offline=true ${JAVA_OPTS:-} -Dguard.home="${GUARD_HOME:-/app}" \
    --enable-native-access=ALL-UNNAMED \
    -cp "/app/classes:/app/lib/*" io.scrapeguard.cli.Guard "$@"
