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
