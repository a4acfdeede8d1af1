# Sourced by scripts/run and scripts/test: installs what the project needs into ./.venv.
# Python 3.12 or 3.13 (the locked dependencies support both), uv in ./.tools, the locked
# dependencies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# True when $1 is an interpreter that runs and is 3.12 or 3.13. Running it (not only -x) also
# weeds out pyenv shims for a version that is not active here.
geschikte_python() {
  [ -n "$1" ] && [ -x "$1" ] &&
    [ "$("$1" -c 'import sys; print(sys.version_info[:2] in [(3,12),(3,13)])' 2>/dev/null)" = True ]
}

# Prints the first suitable Python: $PYTHON, then 3.13 (the preferred one, see .python-version)
# before 3.12, on PATH before pyenv's, and last a plain python3 that happens to be 3.12 or 3.13.
find_python() {
  local pyenv_versies="${PYENV_ROOT:-$HOME/.pyenv}/versions" kandidaat
  if [ -n "${PYTHON:-}" ] && ! geschikte_python "$PYTHON"; then
    echo "PYTHON=$PYTHON is geen werkende Python 3.12 of 3.13; verder zoeken." >&2
  fi
  for kandidaat in "${PYTHON:-}" \
      "$(command -v python3.13 || true)" "$(command -v python3.12 || true)" \
      "$pyenv_versies"/3.13*/bin/python3.13 "$pyenv_versies"/3.12*/bin/python3.12 \
      /usr/bin/python3 "$(command -v python3 || true)"; do
    if geschikte_python "$kandidaat"; then echo "$kandidaat"; return 0; fi
  done
  return 1
}

GEEN_PYTHON="Python 3.12 of 3.13 ontbreekt: installeer het (apt install python3.12, of via pyenv) of zet PYTHON=/pad/naar/python3.x"

if PY=$(find_python); then
  # A local Python is there: uv must use it and never fetch one.
  export UV_PYTHON_DOWNLOADS=never
  uv_basis=$PY
elif [ "${UV_PYTHON_DOWNLOADS:-automatic}" != never ]; then
  # None here, but downloads are allowed: uv fetches a standalone Python 3.13 for .venv (once;
  # later runs reuse it). uv itself runs on any Python 3, Debian 12's 3.11 too.
  echo "Geen Python 3.12 of 3.13 gevonden; uv haalt Python 3.13 op ..."
  PY=3.13
  export UV_PYTHON_DOWNLOADS=automatic
  uv_basis=$(command -v python3 || true)
else
  echo "$GEEN_PYTHON" >&2
  exit 1
fi

if [ ! -x .tools/bin/uv ]; then
  echo "uv installeren in .tools/ ..."
  if [ -z "$uv_basis" ] || ! "$uv_basis" -m venv .tools; then
    rm -rf .tools
    echo "$GEEN_PYTHON" >&2
    exit 1
  fi
  .tools/bin/python -m pip install --quiet --disable-pip-version-check uv
fi
export UV_PROJECT_ENVIRONMENT=.venv
.tools/bin/uv sync --frozen --quiet --python "$PY"
[ -f .env ] || cp .env.example .env

# Debian packages outside Python: WeasyPrint's Pango and a font for the PDFs (both scripts),
# Chromium for the browser tests (scripts/test). Installed when missing and we are root.
debian_pakketten() {
  local nodig=()
  ldconfig -p 2>/dev/null | grep -q libpango-1.0 || nodig+=(libpango-1.0-0 libpangoft2-1.0-0)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || nodig+=(fonts-dejavu-core)
  if [ "${1:-}" = "met-chromium" ] && [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    nodig+=(chromium)
  fi
  [ ${#nodig[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installeren (Debian): ${nodig[*]} ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${nodig[@]}" >/dev/null
  else
    echo "Ontbreekt (Debian-pakketten): ${nodig[*]}; installeer ze eerst." >&2
    return 1
  fi
}
