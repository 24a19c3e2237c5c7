#!/usr/bin/env bash
# Install the declared minimum versions (constraints-min.txt) in a separate virtual environment
# (.venv-min) and run the test suite there.  Usage: bash scripts/test-min.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${VENV_MIN:-.venv-min}
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
args=(-c constraints-min.txt -e ".[test]")
for p in plugins/*/; do
  [ -f "$p/pyproject.toml" ] && args+=(-e "$p")
done
"$VENV/bin/python" -m pip install --quiet "${args[@]}"
"$VENV/bin/python" -m pip check
echo "最低版本环境：" && "$VENV/bin/python" -m pip freeze --exclude-editable | grep -i -E "^($(grep -v '^#' constraints-min.txt | cut -d= -f1 | paste -sd'|'))=="
"$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"  # no -x: list every incompatibility in one run
