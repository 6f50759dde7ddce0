# Finds a JDK >= 21 (ScrapeGuard's minimum) and exports JAVA_HOME and GUARD_JAVA.
# Sourced by ./guard and .ci/run. Order: $JAVA_HOME, then the JDKs under /usr/lib/jvm (newest
# first), then the javac on PATH. Returns 1 with a clear message when there is none.
# GUARD_JDK_DIRS (colon-separated folders holding JDKs, default /usr/lib/jvm) replaces the scanned
# folders, e.g. for a JDK unpacked under ~/jdks, or to test the launcher without one.

guard_jdk_major() { # prints the feature version of the JDK at $1, or nothing
  local home=$1 v
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "${v:-}" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -1)
  fi
  echo "${v:-}"
}

guard_find_jdk() {
  local min=21 candidates=() c root major best="" best_major=0 roots
  local dirs=${GUARD_JDK_DIRS-/usr/lib/jvm}
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  IFS=: read -r -a roots <<<"$dirs"
  for root in "${roots[@]}"; do
    [ -n "$root" ] || continue
    for c in "$root"/*; do [ -d "$c" ] && candidates+=("$c"); done
  done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  # JAVA_HOME wins when it is new enough; otherwise take the newest found.
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(guard_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      best=$JAVA_HOME best_major=$major
    fi
  fi
  if [ -z "$best" ]; then
    for c in "${candidates[@]}"; do
      major=$(guard_jdk_major "$c")
      if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
        best=$c best_major=$major
      fi
    done
  fi
  if [ -z "$best" ]; then
    echo "guard: error: no JDK >= $min found (looked at \$JAVA_HOME${JAVA_HOME:+=$JAVA_HOME}, ${dirs:-no folders}, and javac on PATH); install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it" >&2
    return 1
  fi
  export JAVA_HOME=$best
  export GUARD_JAVA="$best/bin/java"
  export GUARD_JAVA_MAJOR=$best_major
}
