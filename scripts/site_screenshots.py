"""Screenshots of an example's results site, one per page type: render/<example>/site/*.png.

Usage: python scripts/site_screenshots.py <output dir of a run> <destination dir>
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import chromium, missing_browser, screenshot  # noqa: E402


def main(out: Path, dest: Path) -> int:
    reason = missing_browser()
    if reason:
        print(f"网站截图未生成：{reason}", file=sys.stderr)
        return 0
    site, public = out / "网站", out / "网站_公开版"
    if not site.is_dir():
        return 0
    units = sorted((site / "单位").glob("*.html"))
    pages = [("index", site / "index.html"), ("overview", site / "overview.html")]
    if units:
        pages.append(("unit", units[0]))
    if public.is_dir():
        pages.append(("public-index", public / "index.html"))
        public_units = sorted((public / "单位").glob("*.html"))
        if public_units:
            pages.append(("public-unit", public_units[0]))
    with chromium() as driver:
        for name, page in pages:
            screenshot(driver, page.resolve().as_uri(), dest / f"{name}.png")
    print(f"{len(pages)} site screenshots in {dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
