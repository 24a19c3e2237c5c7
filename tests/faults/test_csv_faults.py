"""Formula-safe ranking CSVs: hostile unit names and headers never become live formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faults.conftest import run_cli
from faults.project import DATA, UNITS, make_project
from zwgk_score.outputs.csvsafe import TRIGGERS, safe_cell

HOSTILE = {
    "甲局": '=HYPERLINK("http://127.0.0.1/x","点我")',
    "乙局": "+1+2",
    "丙局": "-3+4",
}
DOMAIN = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run whose units are named like formulas and whose first domain is too; ``@SUM`` added."""
    units, data = UNITS, DATA
    for plain, evil in HOSTILE.items():
        quoted = '"' + evil.replace('"', '""') + '"'
        units, data = units.replace(plain, quoted), data.replace(plain, quoted)
    units += "@SUM(A1:A9),dept\n"
    data += "@SUM(A1:A9),0,2,20\n"
    root = make_project(
        tmp_path_factory.mktemp("csv") / "p", {"units.csv": units, "data/打分表.csv": data}
    )
    rubric = (root / "rubric.toml").read_text(encoding="utf-8")
    (root / "rubric.toml").write_text(
        rubric.replace('name = "公开平台"', f'name = "{DOMAIN}"'), encoding="utf-8"
    )
    result = run_cli("run", str(root))
    assert result.exit_code == 0, result.output
    return root / "out"


def _rows(out: Path) -> list[list[str]]:
    text = (out / "排名_dept.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff")  # BOM: Excel shows the Chinese
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("name", [*HOSTILE.values(), "@SUM(A1:A9)"])
def test_unit_named_like_a_formula_is_text_in_the_csv(hostile_run: Path, name: str) -> None:
    units = [row[1] for row in _rows(hostile_run)[1:]]
    assert "'" + name in units  # neutralised with a leading apostrophe (OWASP)
    assert name not in units


def test_no_cell_of_the_csv_starts_a_formula(hostile_run: Path) -> None:
    for row in _rows(hostile_run):
        for cell in row:
            assert not cell.startswith(TRIGGERS) or _is_number(cell), cell


def test_header_from_the_rubric_is_neutralised(hostile_run: Path) -> None:
    header = _rows(hostile_run)[0]
    assert any(h.startswith("'" + DOMAIN) for h in header), header


def test_workbook_keeps_the_literal_names(hostile_run: Path) -> None:
    ws = openpyxl.load_workbook(hostile_run / "考核结果.xlsx")["汇总_县直部门"]
    names = {c.value for c in ws["B"]}
    assert set(HOSTILE.values()) <= names  # the xlsx writes them as plain strings


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+2", "'+1+2"),
        ("-3+4", "'-3+4"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-2.5", "-2.5"),  # a number, not a formula
        ("+3", "+3"),
        ("1e5", "1e5"),
        ("甲局", "甲局"),
        ("a=1", "a=1"),
        ("＝1", "＝1"),  # full-width: not a formula in Excel or WPS
        ("", ""),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_safe_cell(cell: object, written: object) -> None:
    assert safe_cell(cell) == written


@given(st.text())
def test_safe_cell_never_leaves_a_formula(text: str) -> None:
    out = safe_cell(text)
    assert isinstance(out, str)
    assert not out.startswith(TRIGGERS) or _is_number(out.strip())
    assert out in (text, "'" + text)
