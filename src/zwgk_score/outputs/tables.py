"""Ranked assessment tables (排名表) with Chinese headers."""

from __future__ import annotations

import pandas as pd

from zwgk_score.methods.base import fmt
from zwgk_score.results import Results


def ranking_frame(results: Results, group: str) -> pd.DataFrame:
    """The group's ranking with Chinese headers: 排名, 单位, each 一级指标（满分）, 加分, 扣分, 总分, 等次, 折合绩效考核分."""
    table = results.ranking(group)
    rubric = results.rubric
    out = pd.DataFrame({"排名": table["rank"], "单位": table["unit"]})
    for d in rubric.domains:
        out[f"{d.name}（{fmt(d.points)}分）"] = table[d.id]
    out["加分"] = table["bonus"]
    out["重大扣分"] = table["major"]
    out["总分"] = table["total"]
    out["等次"] = table["grade"]
    out["单项否决"] = ["是" if v else "" for v in table["veto"]]
    out[f"折合绩效考核分（{fmt(rubric.meta.performance_share)}分）"] = table["performance"]
    return out
