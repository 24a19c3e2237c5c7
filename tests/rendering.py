"""Render office documents to PDF with LibreOffice and read the pages back (pdfinfo / pdftotext).

Tests that look at rendered pages use these helpers. When LibreOffice or poppler is missing the
tests are skipped with a loud reason, except under ``CI=true`` where a missing renderer fails:
CI installs them (see .ci/run), so a skip there would hide a broken install step.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFINFO = shutil.which("pdfinfo")
PDFTOTEXT = shutil.which("pdftotext")


def require_renderer() -> None:
    """Skip (or fail under CI) when LibreOffice or poppler-utils is not installed."""
    missing = [
        n
        for n, p in (("soffice", SOFFICE), ("pdfinfo", PDFINFO), ("pdftotext", PDFTOTEXT))
        if not p
    ]
    if not missing:
        return
    message = (
        f"RENDERING NOT CHECKED: {', '.join(missing)} not installed "
        "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def to_pdf(document: Path, out_dir: Path) -> Path:
    """Convert one .docx/.xlsx to PDF with headless LibreOffice; returns the PDF path."""
    require_renderer()
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out_dir / (document.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {document}"
    return pdf


def page_count(pdf: Path) -> int:
    info = subprocess.run(
        [str(PDFINFO), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match, info
    return int(match.group(1))


def page_texts(pdf: Path) -> list[str]:
    """The text of every page, in layout mode (one string per page)."""
    text = subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages


def word_boxes(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word of every page with its box in points: (x_min, y_min, x_max, y_max, text)."""
    require_renderer()
    html = subprocess.run(
        [str(PDFTOTEXT), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages: list[list[tuple[float, float, float, float, str]]] = []
    for page in re.findall(r"<page[^>]*>(.*?)</page>", html, re.S):
        words = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        )
        pages.append([(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in words])
    return pages
