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
  # the notice and the workbook of every period (the year's in out/, a quarter's in out/2018Q1/ …)
  # and the first two feedback sheets of each format; named by their path under out/
  # (2018Q1_通报.docx; a feedback sheet by its own name), so that a quarter's notice does not overwrite the year's
  mapfile -t docs < <(
    find "$ex/out" -maxdepth 2 -type f \( -name '*.docx' -o -name '*.xlsx' \) -not -path '*/反馈单/*' | sort
    find "$ex/out/反馈单" -type f -name '*.docx' 2>/dev/null | sort | head -n 2
    find "$ex/out/反馈单" -type f -name '*.xlsx' 2>/dev/null | sort | head -n 2
  )
  for doc in "${docs[@]}"; do
    rel=${doc#"$ex/out/"}
    rel=${rel#反馈单/}
    stem=${rel%.*}
    stem=${stem//\//_}
    ext=${doc##*.}
    work="$dest/.pdf"
    mkdir -p "$work"
    to=pdf
    # a notice as printed: with the blank page before a 版记 that starts an even page
    [ "$ext" = docx ] && to='pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    soffice "-env:UserInstallation=$profile" --headless --convert-to "$to" --outdir "$work" "$doc" >/dev/null 2>&1
    mv "$work/$(basename "${doc%.*}").pdf" "$dest/$stem.$ext.pdf"
    mkdir -p "$dest/$stem.$ext"
    pdftoppm -r 60 -png "$dest/$stem.$ext.pdf" "$dest/$stem.$ext/page"
  done
  rm -rf "$dest/.pdf"
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
