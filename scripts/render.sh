#!/usr/bin/env bash
# Render every example's documents (notices, workbook, two feedback sheets) to PDF and PNG pages
# so anyone can look at them: render/<example>/<document>/page-N.png; and a screenshot of each
# page type of the results site (index, unit, overview, public index and unit): render/<example>/site/.
# Needs the Debian packages libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils
# (and chromium chromium-driver for the site screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out=${RENDER_DIR:-render}
rm -rf "$out"
mkdir -p "$out"
profile="file://$PWD/$out/.lo-profile"
for ex in examples/*/; do
  name=$(basename "$ex")
  .venv/bin/zwgk-score run "$ex" >/dev/null
  dest="$out/$name"
  mkdir -p "$dest"
  # the notices, the workbook, and the first two feedback sheets of each format
  mapfile -t docs < <(
    find "$ex/out" -maxdepth 1 -type f \( -name '*.docx' -o -name '*.xlsx' \) | sort
    find "$ex/out" -mindepth 2 -type f \( -name '*.docx' -o -name '*.xlsx' \) | sort | head -n 4
  )
  for doc in "${docs[@]}"; do
    stem=$(basename "${doc%.*}")
    ext=${doc##*.}
    soffice "-env:UserInstallation=$profile" --headless --convert-to pdf --outdir "$dest" "$doc" >/dev/null 2>&1
    mkdir -p "$dest/$stem.$ext"
    pdftoppm -r 60 -png "$dest/$stem.pdf" "$dest/$stem.$ext/page"
  done
  .venv/bin/python scripts/site_screenshots.py "$ex/out" "$dest/site"
  echo "$name: $(find "$dest" -name '*.png' | wc -l) pages in $dest"
done
# the assessment loop's forms and sheets (docs/loop.md worked example): 自评表, 复核表, 申诉表, 报送情况, 申诉处理记录, 整改台账
dest="$out/loop"
mkdir -p "$dest"
mapfile -t forms < <(.venv/bin/python scripts/render_loop.py "$dest/work")
for doc in "${forms[@]}"; do
  stem=$(basename "${doc%.*}")
  soffice "-env:UserInstallation=$profile" --headless --convert-to pdf --outdir "$dest" "$doc" >/dev/null 2>&1
  mkdir -p "$dest/$stem.xlsx"
  pdftoppm -r 60 -png "$dest/$stem.pdf" "$dest/$stem.xlsx/page"
done
echo "loop: $(find "$dest" -name 'page*.png' | wc -l) pages in $dest"
