#!/usr/bin/env bash
# Entry point of ScrapeGuard's images: ./guard without the build step. Arguments are a ./guard
# command line (e.g. `publish <dir> ...`); JAVA_OPTS sizes the JVM. GUARD_MAIN: the poisoner and
# producer images run their own service's root (only its libraries are in /app/lib).
set -euo pipefail
# The paper profile trains ResNet-18 canaries on a GPU. The CPU images carry CPU-only PyTorch and
# never download: say so at once instead of failing deep inside the first audit. (The auditor-gpu
# image has no native jar and a mounted CUDA libtorch: the paper profile is what it is for.)
LIB=${GUARD_LIB_DIR:-/app/lib}
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ] && compgen -G "$LIB/pytorch-native-cpu*.jar" >/dev/null; then
    for arg in "$@"; do
        if [[ "$arg" == *auditor.profile=paper* ]]; then
            echo "guard: AUDIT_PROFILE=paper needs a GPU build of PyTorch, and this image has the" \
                "CPU-only one. Use AUDIT_PROFILE=cpu-small here, or the auditor-gpu image" \
                "(compose profile gpu, docs/gpu.md)." >&2
            exit 2
        fi
    done
fi
# The same JVM options as ./guard: DJL does not download (PyTorch ships in the image or is
# mounted) unless JAVA_OPTS says -Dai.djl.offline=false: it comes later, and the last -D of a
# name wins. Native access for PyTorch's JNI library. JAVA_OPTS is a list of JVM flags: split on
# whitespace on purpose.
# shellcheck disable=SC2086
exec java -Dai.djl.offline=true ${JAVA_OPTS:-} -Dguard.home="${GUARD_HOME:-/app}" \
    --enable-native-access=ALL-UNNAMED \
    -cp "${GUARD_CLASSES:-/app/classes}:$LIB/*" "${GUARD_MAIN:-io.scrapeguard.cli.Guard}" "$@"
