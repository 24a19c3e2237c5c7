#!/usr/bin/env bash
# Set up the environment and run the bundled example assessment.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/zwgk-score run "${1:-examples/liaocheng}"
