# Shared set-up for scripts/test, scripts/develop and scripts/bench: sourced, not run.
# Everything a fresh machine needs is installed here; a second run finds it in place and costs seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${ACTRONAIR_NEO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/actronair-neo}
UV_VERSION=0.13.9
# Home Assistant's own floor: 3.14.2 and newer.
PYTHON_MIN=(3 14 2)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# A uv of our own in its own venv: Home Assistant pins a uv of its own inside the test venvs.
ensure_uv() {
  UV="$CACHE/uv/bin/uv"
  if [ ! -x "$UV" ] || [ "$("$UV" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    log "installing uv $UV_VERSION"
    mkdir -p "$CACHE"
    local base
    base=$(command -v python3)
    "$base" -m venv --clear "$CACHE/uv"
    "$CACHE/uv/bin/pip" install -q "uv==$UV_VERSION"
  fi
  export UV
}

python_is_new_enough() {
  "$1" -c "import sys, ssl; sys.exit(sys.version_info < tuple(map(int, '${PYTHON_MIN[*]}'.split())))" 2>/dev/null
}

# A Python >= 3.14.2: one on PATH, or Debian's packages unpacked into the cache (no compiler, no internet
# beyond Debian's registry).
ensure_python() {
  local candidate
  for candidate in "${ACTRONAIR_NEO_PYTHON:-}" python3.15 python3.14 "$CACHE/python3.14/usr/bin/python3.14"; do
    [ -n "$candidate" ] || continue
    candidate=$(command -v "$candidate" 2>/dev/null) || continue
    if python_is_new_enough "$candidate"; then PYTHON=$candidate; export PYTHON; return; fi
  done
  log "no Python >= ${PYTHON_MIN[0]}.${PYTHON_MIN[1]}.${PYTHON_MIN[2]} found: unpacking Debian's python3.14"
  PYTHON=$(bash "$ROOT/scripts/lib/python314.sh" "$CACHE/python3.14" | tail -n 1)
  python_is_new_enough "$PYTHON" || { echo "unusable Python at $PYTHON" >&2; exit 1; }
  export PYTHON
}

# ensure_venv DIR REQUIREMENTS_FILE: create the venv once, reinstall only when the requirements changed.
ensure_venv() {
  local venv=$1 requirements=$2 stamp digest
  stamp="$venv/.requirements.sha256"
  # The file, the files it includes with -r, and this script decide what the venv holds.
  digest=$(cd "$(dirname "$requirements")" && cat "$(basename "$requirements")" \
    $(sed -n 's/^-r[[:space:]]*//p' "$(basename "$requirements")") "$ROOT/scripts/lib/common.sh" \
    | sha256sum | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return
  fi
  ensure_uv
  ensure_python
  log "setting up $(basename "$venv") from $(basename "$requirements")"
  # From scratch: a package dropped from the requirements must not linger in the venv.
  "$UV" venv -q --clear --python "$PYTHON" "$venv"
  "$UV" pip install -q --python "$venv/bin/python" -r "$requirements"
  echo "$digest" > "$stamp"
}
