"""History from the ledger: three periods, a rubric change between years, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner
from pgserver import fresh_database, pg_server  # noqa: F401 - the fixture

from zwgk_score.cli import main
from zwgk_score.ledger import open_ledger
from zwgk_score.loop.history import compare_indicators, group_series, import_results, unit_series


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / '台账.db'}"
    return fresh_database(request.getfixturevalue("pg_server"))


def result(period: str, rubric: str, scores: dict[str, dict[str, tuple[float, float]]]) -> dict:
    """A results.json: unit → indicator → (points, score); total = Σ score; ranked by total."""
    totals = {u: sum(s for _, s in inds.values()) for u, inds in scores.items()}
    order = sorted(totals, key=lambda u: -totals[u])
    return {
        "schema": 1,
        "rubric": {"id": rubric, "title": f"细则{rubric}", "year": int(period[:4])},
        "period": period,
        "groups": [{"id": "g", "name": "乡镇", "max_score": 100}],
        "units": [
            {
                "unit": u,
                "group": "g",
                "total": totals[u],
                "grade": "优秀" if totals[u] >= 90 else "良好" if totals[u] >= 80 else "合格",
                "rank": order.index(u) + 1,
                "indicators": [
                    {"id": i, "points": p, "score": s, "lost": p - s, "applicable": True}
                    for i, (p, s) in inds.items()
                ],
            }
            for u, inds in scores.items()
        ],
    }


Y2022 = result(
    "2022",
    "r-2022",
    {
        "甲镇": {"a": (60, 58), "b": (40, 37)},  # 95
        "乙镇": {"a": (60, 50), "b": (40, 35)},  # 85
        "丙镇": {"a": (60, 40), "b": (40, 30)},  # 70
    },
)
Y2023 = result(
    "2023",
    "r-2022",
    {
        "甲镇": {"a": (60, 55), "b": (40, 33)},  # 88
        "乙镇": {"a": (60, 57), "b": (40, 35)},  # 92
        "丙镇": {"a": (60, 45), "b": (40, 30)},  # 75
    },
)
# 2024: a new rubric; "a" now worth 50, "b" unchanged, "c" new
Y2024 = result(
    "2024",
    "r-2024",
    {
        "甲镇": {"a": (50, 45), "b": (40, 38), "c": (10, 10)},  # 93
        "乙镇": {"a": (50, 40), "b": (40, 36), "c": (10, 5)},  # 81
        "丙镇": {"a": (50, 42), "b": (40, 35), "c": (10, 8)},  # 85
    },
)


def fill(url: str, declared: bool) -> None:
    ledger = open_ledger(url)
    with ledger.begin() as w:
        for content, year in ((Y2022, 2022), (Y2023, 2023)):
            w.record_result(content, assessment=f"{year}年度考核", year=year, published_at="x")
        w.record_result(
            Y2024,
            assessment="2024年度考核",
            year=2024,
            published_at="x",
            comparable_with=("r-2022",) if declared else (),
        )
    ledger.close()


def test_unit_series_across_three_years(url):
    fill(url, declared=True)
    ledger = open_ledger(url)
    s = unit_series(ledger, "乙镇")
    assert list(s["期别"]) == ["2022年度", "2023年度", "2024年度"]
    assert list(s["总分"]) == [85, 92, 81]
    assert list(s["等次"]) == ["良好", "优秀", "良好"]
    assert list(s["排名"]) == [2, 1, 3]
    # 92 − 85 = +7, 81 − 92 = −11; rank 2 → 1 is 提升 1 位, 1 → 3 is 下降 2 位
    assert list(s["总分变化"])[1:] == [7.0, -11.0]
    assert list(s["排名变化"])[1:] == [1, -2]
    assert list(s["细则"]) == ["r-2022", "r-2022", "r-2024"]
    g = group_series(ledger, "乡镇")
    assert list(g["单位"]) == ["甲镇", "丙镇", "乙镇"]  # by the latest rank
    assert list(g["2023年度排名"]) == [2, 3, 1]
    ledger.close()


def test_indicators_compared_only_where_comparable(url):
    fill(url, declared=True)
    ledger = open_ledger(url)
    same = compare_indicators(ledger, "甲镇", "2022", "2023").set_index("指标编号")
    assert same.loc["a", "变化"] == -3 and same.loc["b", "变化"] == -4  # 55 − 58, 33 − 37
    changed = compare_indicators(ledger, "甲镇", "2023", "2024").set_index("指标编号")
    assert changed.loc["b", "变化"] == 5  # 38 − 33: same id, same points, declared comparable
    assert changed.loc["a", "说明"] == "不可比：分值由 60 变为 50"
    assert changed.loc["a", "变化"] != changed.loc["a", "变化"]  # NaN: never silently compared
    assert changed.loc["c", "说明"] == "不可比：只在一期中考核"
    ledger.close()


def test_undeclared_rubric_change_compares_no_indicator(tmp_path):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    fill(url, declared=False)
    ledger = open_ledger(url)
    cmp = compare_indicators(ledger, "甲镇", "2023", "2024")
    assert set(cmp["说明"]) == {"不可比：细则 r-2022 与 r-2024 未声明可比"}
    assert cmp["变化"].isna().all()
    assert list(unit_series(ledger, "甲镇")["排名"]) == [
        1,
        2,
        1,
    ]  # totals, grades, ranks still compared
    ledger.close()


def test_import_and_cli(url, tmp_path):
    files = []
    for content in (Y2022, Y2023, Y2024):
        p = tmp_path / f"results_{content['period']}.json"
        p.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        files.append(p)
    ledger = open_ledger(url)
    first = import_results(ledger, files[0])
    assert import_results(ledger, files[0]) == first  # stored once
    ledger.close()
    args = ["history", url, "--unit", "丙镇", "--xlsx", str(tmp_path / "丙镇.xlsx")]
    for p in files[1:]:
        args += ["--import", str(p)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert "2024年度" in res.output and "85" in res.output
    ws = openpyxl.load_workbook(tmp_path / "丙镇.xlsx")["历年结果"]
    assert [ws.cell(r, 7).value for r in range(3, 6)] == [70, 75, 85]  # 总分
    assert [ws.cell(r, 9).value for r in range(3, 6)] == [3, 3, 2]  # 排名
    bad = CliRunner().invoke(main, ["history", url])
    assert bad.exit_code == 2 and "--unit 或 --group" in bad.output
