# Sourced by scripts/run and scripts/test: installs what the project needs into ./.venv.
# Python 3.13 (pyenv's, or any python3.13 on PATH), uv in ./.tools, the locked dependencies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {
  local kandidaat
  for kandidaat in "${PYTHON:-}" "$(command -v python3.13 || true)" \
      "$(pyenv prefix 3.13 2>/dev/null)/bin/python3.13" \
      "$HOME"/.pyenv/versions/3.13*/bin/python3.13 /usr/bin/python3.13 /usr/local/bin/python3.13; do
    if [ -n "$kandidaat" ] && [ -x "$kandidaat" ]; then echo "$kandidaat"; return 0; fi
  done
  echo "Python 3.13 niet gevonden: installeer het (bijvoorbeeld met pyenv) of zet PYTHON=/pad/naar/python3.13" >&2
  return 1
}

PY=$(find_python)
if [ ! -x .tools/bin/uv ]; then
  echo "uv installeren in .tools/ ..."
  "$PY" -m venv .tools
  .tools/bin/python -m pip install --quiet --disable-pip-version-check uv
fi
export UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=.venv
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
