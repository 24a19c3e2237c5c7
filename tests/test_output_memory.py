"""Outputs of a national run hold less, and write the same bytes (issue 17, memory).

* results.json reads the evidence columns a chunk of rows at a time from the input
  table: the checked copy of the whole table is never built, the file is the same;
* the workbook's detail sheets convert rows to Python values a slice at a time and
  keep no row heights, the file is the same;
* the 佐证 of the 扣分明细 parts are found from the rows with a text, once.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zwgk_score import parse_rubric, score
from zwgk_score.outputs import excel, memory
from zwgk_score.outputs.excel_detail import CellEvidence, cell_evidence

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synth  # noqa: E402


def _messy(n_units: int = 12) -> tuple[object, pd.DataFrame, pd.DataFrame]:
    """Synthetic evidence with what the checked table converts: missing texts, numbers
    where texts belong and blank statuses (the table is then not plain strings)."""
    rubric = parse_rubric(synth.rubric_dict())
    roster = synth.roster(n_units)
    data = synth.evidence(roster)
    data["source"] = data["source"].astype(object)  # a collector's mixed column
    data.loc[data.index[::53], "evidence"] = None
    data.loc[data.index[1::61], "source"] = 7  # a number in a text column: str(7)
    ok = data.index[data["status"] == "ok"]
    data.loc[ok[::41], "status"] = ""  # blank status: ok
    data.loc[data.index[::89], "evidence"] = 'he said "超期\\3天"\n\t50%'
    return rubric, roster, data


def test_results_json_without_the_checked_table(tmp_path):
    rubric, roster, data = _messy()
    res = score(rubric, data, roster)
    table = res.aggregates.evidence_rows.table
    path = tmp_path / "results.json"
    res.write_json(path)
    assert "frame" not in table._cache  # the whole checked copy was never made
    # the same bytes as the standard encoder on to_dict (which reads the checked table)
    expected = json.dumps(res.to_dict(), ensure_ascii=False, indent=1, allow_nan=False)
    assert "frame" in table._cache
    assert path.read_text(encoding="utf-8") == expected
    # the row numbers are the input's (row 0 of the table is line 2 of a sheet)
    rows = json.loads(expected)["evidence"]
    assert sorted(r["row"] for r in rows) == list(range(2, len(data) + 2))
    assert any(r["source"] == "7" for r in rows) and any(r["evidence"] == "" for r in rows)


def test_row_id_of_the_table_without_and_with_the_checked_copy():
    rubric, roster, data = _messy()
    table = score(rubric, data, roster).aggregates.evidence_rows.table
    some = np.array([5, 0, 17, 3])
    assert table.at("row_id", some).tolist() == [5, 0, 17, 3]
    assert table.at("row_id").tolist() == list(range(len(data)))
    table.frame  # noqa: B018 - built: the same numbers from its row_id column
    assert table.at("row_id", some).tolist() == [5, 0, 17, 3]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_workbook_rows_a_slice_at_a_time_and_no_row_heights_kept(tmp_path, monkeypatch):
    rubric, roster, data = _messy(30)
    res = score(rubric, data, roster)
    whole = excel.write_workbook(res, tmp_path / "a.xlsx")
    # rows converted 1,000 at a time (6,000 item rows): the same file
    monkeypatch.setattr(excel, "ROWS_AT_A_TIME", 1000)
    sizes: dict[str, int] = {}
    close = excel.xlsxwriter.Workbook.close

    def counting_close(wb):  # row heights held by each sheet when the workbook closes
        sizes.update({ws.name: len(ws.row_sizes) for ws in wb.worksheets()})
        return close(wb)

    monkeypatch.setattr(excel.xlsxwriter.Workbook, "close", counting_close)
    sliced = excel.write_workbook(res, tmp_path / "b.xlsx")
    assert _sha(sliced) == _sha(whole)
    # wrapped 失分原因 give rows a height in the file, but the detail sheets keep only
    # those of their title and header rows (rows 0 and 1) while the workbook is open
    assert sizes["指标得分"] == sizes["扣分明细"] == 2
    import openpyxl

    ws = openpyxl.load_workbook(sliced)["指标得分"]
    tall = [r for r, dim in ws.row_dimensions.items() if r > 2 and dim.ht]
    assert len(tall) > 100


def test_float_kinds_is_the_set_over_the_values():
    cases = [
        pd.Series([1.0, np.nan]),
        pd.Series([], dtype=float),
        pd.Series(["a", np.nan], dtype=object),
        pd.Series([1, 2]),
        pd.Series(["x", "y"], dtype="str"),
    ]
    for col in cases:
        assert excel._float_kinds(col) == {isinstance(v, float) for v in col.tolist()}


def test_rows_are_the_zipped_columns(monkeypatch):
    monkeypatch.setattr(excel, "ROWS_AT_A_TIME", 3)
    df = pd.DataFrame({"a": range(10), "b": [f"t{i}" for i in range(10)], "c": np.arange(10.0)})
    assert list(excel._rows(df)) == list(zip(*(df[c].tolist() for c in df.columns), strict=True))
    assert list(excel._rows(df.iloc[:0])) == []


@pytest.mark.parametrize("with_source", [True, False])
def test_cell_evidence_asked_part_by_part(with_source):
    rubric, roster, data = _messy(20)
    res = score(rubric, data, roster)
    full = cell_evidence(res, with_source=with_source)
    assert len(full) > 50
    of = CellEvidence(res, with_source=with_source)
    assert of() == full
    n = len(res.units) * len(res.leaves)
    for lo, hi in [(0, 997), (997, 2500), (2500, n), (n, n)]:
        cells = np.arange(lo, hi)
        assert of(cells) == {c: t for c, t in full.items() if lo <= c < hi}
    assert of(np.array([], dtype=np.int64)) == {}


def test_between_outputs_trims_only_a_large_record(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(memory, "release_memory", lambda: calls.append(1))
    memory.between_outputs(24 * 120)  # a seed example: no collection in its cold run
    assert calls == []
    memory.between_outputs(memory.LARGE_CELLS)
    assert calls == [1]
