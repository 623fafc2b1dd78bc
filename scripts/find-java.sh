# Sourced by ./qatysu and by the distribution's bin/qatysu: finds a Java >= QATYSU_MIN_JAVA (default 21).
#   find_java jdk       a JDK (java and javac): building from source
#   find_java runtime   a Java runtime is enough: the installed distribution
# Looks at JAVA_HOME, the java on PATH and /usr/lib/jvm/*; an explicitly configured, suitable JAVA_HOME wins,
# otherwise the newest suitable one. Exports JAVA_HOME and PATH, or explains and exits 3.

java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

find_java() {
  local need="${1:-jdk}" min="${QATYSU_MIN_JAVA:-21}"
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local d
  for d in /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done
  local best="" best_v=0 v
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/java" ] || continue
    [ "$need" = runtime ] || [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d/bin/java")
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
    if [ "$d" = "${JAVA_HOME:-}" ] && [ "$v" -ge "$min" ]; then best="$d"; best_v="$v"; break; fi
  done
  if [ -z "$best" ]; then
    local what="JDK"; [ "$need" = runtime ] && what="Java runtime"
    echo "qatysu: no $what $min or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
    echo "qatysu: install one (e.g. 'apt-get install openjdk-21-jre-headless', or a Temurin $min+) or set JAVA_HOME to it." >&2
    exit 3
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
