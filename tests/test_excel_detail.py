"""The workbook's detail sheets built a part at a time are the whole tables, sliced."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zwgk_score import parse_rubric, score
from zwgk_score.outputs import excel
from zwgk_score.outputs.excel_detail import (
    cell_evidence,
    deductions_part,
    items_part,
    lost_mask,
    sources_part,
)
from zwgk_score.outputs.tables import (
    deductions_frame,
    evidence_by_cell,
    items_frame,
    lost_items,
    sources_frame,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synth  # noqa: E402


@functools.cache
def synthetic() -> object:
    """30 synthetic units × 200 indicators: evidence texts, sources, 不适用, 缺失, vetoes."""
    roster = synth.roster(30)
    return score(parse_rubric(synth.rubric_dict()), synth.evidence(roster), roster)


def reference_evidence(results, *, with_source: bool) -> dict[tuple[str, str], str]:
    """The 佐证 per cell as the evidence table reads, row by row (the former implementation)."""
    ev = results.evidence()
    ev = ev[(ev["evidence"] != "") | ((ev["source"] != "") if with_source else False)]
    out: dict[tuple[str, str], list[str]] = {}
    for r in ev.itertuples():
        text = r.evidence + (f"（{r.source}）" if r.source and with_source else "")
        out.setdefault((r.unit, r.indicator), []).append(text)
    return {k: "；".join(v) for k, v in out.items()}


def chunks(n: int, size: int) -> list[tuple[int, int]]:
    return [(lo, min(lo + size, n)) for lo in range(0, n, size)] or [(0, 0)]


@pytest.mark.parametrize("with_source", [True, False])
def test_evidence_by_cell_reads_the_rows_as_the_evidence_table(with_source):
    res = synthetic()
    got = evidence_by_cell(res, with_source=with_source)
    assert got == reference_evidence(res, with_source=with_source)
    assert len(got) > 100  # the synthetic units have evidence on many cells
    # a subset of cells: exactly those entries
    some = list(got)[::7]
    assert evidence_by_cell(res, with_source=with_source, cells=some) == {k: got[k] for k in some}
    assert evidence_by_cell(res, cells=[]) == {}


def test_cell_evidence_is_keyed_by_the_items_row():
    res = synthetic()
    items = res.items()
    by_cell = cell_evidence(res, with_source=False)
    ref = reference_evidence(res, with_source=False)
    # the items table holds cell u × L + j at row u × L + j
    for c, text in by_cell.items():
        row = items.iloc[c]
        assert ref[(row["unit"], row["indicator"])] == text


def test_lost_mask_is_lost_items():
    res = synthetic()
    items = res.items()
    kept = items[lost_mask(items)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, lost_items(res, items))


@pytest.mark.parametrize("size", [997, 2500, 10**9])
def test_parts_are_slices_of_the_whole_tables(size):
    res = synthetic()
    items = res.items()

    def joined(n: int, part) -> pd.DataFrame:
        return pd.concat([part(lo, hi) for lo, hi in chunks(n, size)], ignore_index=True)

    whole = items_frame(res, items)
    pd.testing.assert_frame_equal(
        joined(len(items), items_part(res, items, self_score=True)), whole
    )
    pd.testing.assert_frame_equal(
        joined(len(items), items_part(res, items, self_score=False)),
        whole.drop(columns=["自评分"]),
    )
    n, part = deductions_part(res, items)
    ref = deductions_frame(
        res, items, with_source=False, evidence=reference_evidence(res, with_source=False)
    )
    assert n == len(ref) and ref["佐证"].ne("").any()
    pd.testing.assert_frame_equal(joined(n, part), ref, check_dtype=False)
    n, part = sources_part(res, items)
    ref = sources_frame(res, items)
    assert n == len(ref) > 0
    pd.testing.assert_frame_equal(joined(n, part), ref, check_dtype=False)


def test_a_detail_table_split_over_sheets_keeps_every_row(tmp_path, monkeypatch):
    """With a tiny sheet the parts go over many sheets; read back, they are the whole table."""
    import openpyxl

    res = synthetic()
    monkeypatch.setattr(excel, "MAX_DATA_ROWS", 2500)
    path = excel.write_workbook(res, tmp_path / "考核结果.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    names = [n for n in wb.sheetnames if n.startswith("指标得分")]
    assert len(names) == -(-30 * 200 // 2500) == 3  # 6,000 rows in 3 parts
    rows = []
    for name in names:
        got = list(wb[name].iter_rows(min_row=3, values_only=True))
        assert len(got) <= 2500
        rows += got
    whole = items_frame(res, res.items())
    assert len(rows) == len(whole)
    assert [r[0] for r in rows] == whole["单位"].tolist()
    assert [r[3] for r in rows] == whole["指标编号"].tolist()
    lost = np.array([float(r[8]) for r in rows])
    np.testing.assert_allclose(lost, whole["扣分"].to_numpy(dtype=float))
