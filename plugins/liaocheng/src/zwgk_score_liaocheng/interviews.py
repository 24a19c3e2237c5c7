"""Exporter ``liaocheng_interviews``: 拟约谈单位名单 (the 约谈 list the plan asks for).

The 聊城 plan names two occasions for 约谈:

* 三、保障措施(五): "对不能按时完成任务的，进行严格考核扣分；因主观不重视、推进
  不努力，造成工作滞后、不能按时完成的，除严格考核扣分外，同时进行约谈问责" —
  every ``deadline`` leaf (the plan's dated tasks) a unit lost points on;
* task (29): "对重大政务舆情处置不得力、回应不妥当、报告不及时的涉事责任单位相关
  责任人员，要予以通报批评或约谈整改" — the (28) 舆情回应 leaf rated at its
  lowest level (回应不力).

Each line names the unit, the occasion, the indicator (id and name), the
points lost, the reason as scored and the evidence row's source (file:row),
so it traces to the rule and the ledger.  Whether a delay was "主观不重视" is
for the office to establish at the talk: the list is of units *to be talked
to* (拟约谈).  Written for rubrics of 聊城 only (``meta.id`` starting with
``liaocheng``); for any other rubric the exporter writes nothing.

Files: ``约谈名单.md`` and ``约谈名单.csv`` (UTF-8 with BOM, opens in Excel).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

NAME = "约谈名单"
HEADERS = ("序号", "单位", "类别", "约谈事由", "依据", "指标", "失分", "失分原因", "证据来源")
BASIS_LATE = "实施方案三、保障措施(五)：不能按时完成任务的，除考核扣分外约谈问责"
BASIS_OPINION = "实施方案第(29)项：重大政务舆情处置不得力的，通报批评或约谈整改"
OPINION_KEY = "opinion_response"
OPINION_LOWEST = "回应不力"


def _safe(cell: str) -> str:
    """A cell Excel will not read as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def interview_list(results: Any) -> pd.DataFrame:
    """The units to be talked to (拟约谈), one row per occasion, in roster order within each group."""
    items = results.items()
    leaves = {n.id: n for n in results.rubric.nodes() if n.is_leaf}
    late = items[(items["method"] == "deadline") & (items["lost"] > 0) & items["applicable"]]
    opinion_ids = [i for i, n in leaves.items() if n.data == OPINION_KEY]
    evidence = results.evidence()
    # each (unit, indicator)'s evidence rows, in their order (plain lists: one lookup per item)
    cells: dict[tuple[str, str], list[int]] = {}
    keys = zip(evidence["unit"].astype(str), evidence["indicator"].astype(str), strict=True)
    for i, key in enumerate(keys):
        cells.setdefault(key, []).append(i)
    texts = [str(t).strip() for t in evidence["text"].tolist()]
    source_texts = [str(s) for s in evidence["source"].tolist()]
    rows = []
    for _, item in late.iterrows():
        rows.append((item, "不能按时完成任务", BASIS_LATE))
    if opinion_ids:
        op = items[items["indicator"].isin(opinion_ids) & items["applicable"]]
        for _, item in op.iterrows():
            at = cells.get((str(item["unit"]), str(item["indicator"])), [])
            if any(texts[i] == OPINION_LOWEST for i in at):
                rows.append((item, "政务舆情回应不力", BASIS_OPINION))
    groups = {g.id: (i, g.name) for i, g in enumerate(results.rubric.groups)}
    order = {u: i for i, u in enumerate(results.units)}
    position = {leaf_id: i for i, leaf_id in enumerate(leaves)}  # rubric order: T12a before T28
    rows.sort(
        key=lambda r: (
            groups[r[0]["group"]][0],
            order[r[0]["unit"]],
            position[r[0]["indicator"]],
        )
    )
    out = []
    for no, (item, why, basis) in enumerate(rows, start=1):
        at = cells.get((str(item["unit"]), str(item["indicator"])), [])
        sources = "；".join(dict.fromkeys(source_texts[i] for i in at if source_texts[i].strip()))
        out.append(
            {
                "序号": no,
                "单位": item["unit"],
                "类别": groups[item["group"]][1],
                "约谈事由": why,
                "依据": basis,
                "指标": f"{item['indicator']} {item['name']}（第{item['task']}项）",
                "失分": f"{item['lost']:.2f}",
                "失分原因": str(item["reason"]),
                "证据来源": sources,
            }
        )
    table: pd.DataFrame = pd.DataFrame(out, columns=list(HEADERS))
    return table


def _markdown(results: Any, table: pd.DataFrame) -> str:
    title = f"{results.rubric.meta.title.replace('考核细则', '')}拟约谈单位名单"
    units = table["单位"].drop_duplicates().tolist()
    lines = [
        f"# {title}",
        "",
        "依据《聊城市全面推进政务公开工作实施方案》：对不能按时完成任务的，进行严格考核扣分；"
        "因主观不重视、推进不努力，造成工作滞后、不能按时完成的，除严格考核扣分外，同时进行约谈问责"
        "（三、保障措施(五)）；对重大政务舆情处置不得力、回应不妥当、报告不及时的涉事责任单位相关责任人员，"
        "予以通报批评或约谈整改（第(29)项）。",
        "",
        "本名单列出考核中查实的上述情形（每条附指标、失分原因和证据来源）；是否属于“主观不重视、推进不努力”，"
        "由市政府办公室在约谈时核实认定。",
        "",
    ]
    if table.empty:
        lines.append("本次考核未发现需要约谈的情形。")
        return "\n".join(lines) + "\n"
    lines.append(f"拟约谈单位共{len(units)}个：{'、'.join(units)}。")
    lines.append("")
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|" + "|".join("---:" if h in ("序号", "失分") else "---" for h in HEADERS) + "|")
    for row in table.itertuples(index=False):
        cells = [str(c).replace("|", "｜").replace("\n", " ") for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


class InterviewListExporter:
    """Output format ``liaocheng_interviews``: 约谈名单.md and 约谈名单.csv (聊城 rubrics only)."""

    name = "liaocheng_interviews"

    def export(self, results: Any, out_dir: Path, options: Mapping[str, Any]) -> list[Path]:
        """Write the list; nothing for a rubric that is not 聊城's."""
        if not str(results.rubric.meta.id).startswith("liaocheng"):
            return []
        table = interview_list(results)
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        md = out_dir / f"{NAME}.md"
        md.write_text(_markdown(results, table), encoding="utf-8")
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(HEADERS)
        for row in table.itertuples(index=False):
            writer.writerow([_safe(str(c)) for c in row])
        path = out_dir / f"{NAME}.csv"
        path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
        return [md, path]
