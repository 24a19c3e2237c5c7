"""The Chinese explanation (逐项说明) of one unit's result, a function over the record.

From the total down: how the total is made (the weighted periods of a
combined result, then base + bonus − major deductions), any veto, then every
category and indicator of the tree with its score, 失分原因 and evidence rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from zwgk_score.engine.aggregate import round_half_up
from zwgk_score.methods.base import Role, fmt

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.results import Results


def num(x: float) -> str:
    """A score as shown in an explanation: two decimals, "—" for no score."""
    return "—" if x != x else f"{x:.2f}"


def explain(r: Results, unit: str) -> str:
    """Walk from a unit's total down to each indicator and evidence row (Chinese text).

    Raises:
        KeyError: ``unit`` is not in the roster.
    """
    if unit not in r.unit_index:
        raise KeyError(unit)
    u = r.unit_index[unit]
    row = r.summary.iloc[u]
    group = r.rubric.group(row["group"])
    applicable = float(row["applicable"])
    if not group.rescale:
        how = f"得分 {fmt(row['obtained'])}，适用分值 {fmt(applicable)}，不折算"
    elif abs(applicable - group.max_score) > 1e-9:
        how = (
            f"得分 {fmt(row['obtained'])} ÷ 适用分值 {fmt(applicable)} × "
            f"{fmt(group.max_score)}，已折算"
        )
    else:  # every indicator applies: nothing to rescale
        how = f"得分 {fmt(row['obtained'])}，全部指标适用，满分 {fmt(group.max_score)}"
    bonus = f"加分 {fmt(row['bonus'])}"
    if r.totals.bonus_withheld[u]:
        bonus += f"（未达到加分门槛 {fmt(r.rubric.meta.bonus_min_score or 0)} 分，不加分）"
    base = f"基础分 {num(row['base'])}（{how}）+ {bonus} − 重大扣分 {fmt(row['major'])}"
    lines = [
        f"单位：{unit}（{group.name}）",
        f"总分 {num(row['total'])}，等次 {row['grade']}，组内第 {row['rank']} 名",
    ]
    comb = r.combination
    if comb is not None:
        # a combined result: the total is the weighted parts; the detail below is this period's
        weighted = [
            f"{p.name} {num(float(comb.scores[p.id][u]))} × {fmt(p.weight)}%" for p in comb.parts
        ]
        after = (
            f" + 加分 {fmt(row['bonus'])} − 重大扣分 {fmt(row['major'])}（合成后计一次）"
            if comb.after
            else ""
        )
        lines.append("  = " + " + ".join(weighted) + after)
        current = next((p.name for p in comb.parts if p.id == comb.current), "本阶段")
        lines.append(f"  {current}：{base}；以下为{current}的指标明细")
    else:
        lines.append(f"  = {base}")
    if row["veto"]:
        lines.append(f"  单项否决：{row['veto_policy']}")
    prec = r.rubric.meta.precision
    for mark in r.rubric.pass_marks:
        part = r.rubric.node(mark.node)
        s = float(round_half_up(np.array([r.node_score(unit, mark.node)[0]]), prec)[0])
        if s < mark.min - 1e-9:
            lines.append(
                f"  「{part.name}」部分 {num(s)} 分，低于及格线 {fmt(mark.min)} 分，等次定为最低档"
            )
    items = r.items()
    items = items[items["unit"] == unit].set_index("indicator")
    evidence = r.evidence(unit)
    for domain in r.rubric.domains:
        for node in domain.walk():
            indent = "  " * node.level
            if not node.is_leaf:
                s, a = r.node_score(unit, node.id)
                lines.append(
                    f"{indent}{node.id} {node.name}：{fmt(s)}/{fmt(node.points)}（适用 {fmt(a)}）"
                )
                continue
            it = items.loc[node.id]
            head = f"{indent}{node.id} {node.name} [{node.rule.title}]"
            if it["role"] == Role.SCORE and node.deduct_from is not None:
                head += f"：扣 {num(-it['score'] + 0.0)}"  # a rule of a deduction-only category
            elif it["role"] == Role.SCORE:  # the unit's points: na_to may have added a sibling's
                head += f"：{num(it['score'])}/{fmt(it['points'])}"
            elif it["role"] == Role.BONUS:
                head += f"：加 {num(it['score'])}"
            elif it["role"] == Role.MAJOR:
                head += f"：扣 {num(it['score'])}"
            elif it["role"] == Role.VETO:
                head += "：触发" if it["score"] else "：未触发"
            if it["status"]:
                head += f"（{it['status']}）"
            if it["reason"]:
                head += f" —— {it['reason']}"
            lines.append(head)
            for _, ev in evidence[evidence["indicator"] == node.id].iterrows():
                eff = f"，影响 {fmt(ev['effect'])} 分" if ev["effect"] else ""
                # a row collected from an export names its source (file:row, URL); a hand-made
                # table has only its row number (header = row 1)
                where = f"（{ev['source']}）" if ev["source"] else f"第 {ev['row_id'] + 2} 行"
                lines.append(
                    f"{indent}    · 证据{where}：数值 {fmt(ev['value'])}"
                    + (f"，文本「{ev['text']}」" if ev["text"] else "")
                    + (f"，{ev['evidence']}" if ev["evidence"] else "")
                    + eff
                )
    return "\n".join(lines)
