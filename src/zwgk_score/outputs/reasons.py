"""失分原因 as a unit reads it on its feedback sheet (反馈单).

The engine's reason texts are written for traceability and keep the source
data's notation (ISO dates, "逾期 0 天").  A unit that has to fix something
needs them in words: what was found, where, and by which rule.  This module
rewrites one reason text for a feedback sheet:

* ISO dates ``2024-04-12`` (and ``2024-04-12 16:00``) become ``2024年4月12日``
  (``2024年4月12日16:00``);
* a task due on the last day of the period and not done is "到期未完成", not
  "逾期 0 天（0 个工作日）"; a time limit of 0 working days is "要求同步发布";
* a remark that nothing was found (``…未发现问题``) is dropped from a row that
  lost points, where it contradicts the deduction;
* a bare method summary ("发现问题 2 处，每处扣 0.5 分", "未达到要求",
  "评定为「一般」") gets the indicator's 评分说明 so the unit knows by which rule.
"""

from __future__ import annotations

import re

_DATETIME = re.compile(r" ?(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}:\d{2}))?(?!\d) ?")
_ZERO_LATE = re.compile(r"，?逾期 ?0 ?天（0 ?个工作日）")
_ZERO_LIMIT = re.compile(r"（时限 ?0 ?个工作日）")
_NOTHING_FOUND = re.compile(r"未发现(?:任何)?问题|无问题$")
#: reason texts that say how points were lost but not what was wrong
_BARE = re.compile(
    r"^(?:发现问题 [\d.]+ 处，每处扣 [\d.]+ 分(?:（扣完为止）)?|未达到要求|评定为「[^」]*」"
    r"|比率 [\d.]+%，满分要求 [\d.]+%|完成 [\d.]+ 次，要求不少于 [\d.]+ 次)$"
)


def cn_dates(text: str) -> str:
    """``2024-04-12`` → ``2024年4月12日`` (spaces around it dropped); a time of day stays after it."""

    def one(m: re.Match[str]) -> str:
        day = f"{int(m[1])}年{int(m[2])}月{int(m[3])}日"
        return day + (m[4] or "")

    return _DATETIME.sub(one, text)


def readable_reason(text: str, *, criteria: str | None = None, lost: bool = True) -> str:
    """The reason shown on a feedback sheet (see the module docstring).

    Args:
        text: the engine's reason (``Results.items()["reason"]``).
        criteria: the indicator's 评分说明, added when ``text`` names no finding.
        lost: whether the row lost points (a "nothing found" remark is then dropped).

    >>> readable_reason("任务 R1：完成时限 2023-12-31，截至 2023-12-31 未完成，逾期 0 天（0 个工作日）")
    '任务 R1：完成时限2023年12月31日，截至2023年12月31日到期未完成'
    """
    out = _ZERO_LATE.sub("，到期未完成", text)
    out = out.replace("未完成，到期未完成", "到期未完成")
    out = _ZERO_LIMIT.sub("（要求同步发布）", out)
    if lost and "；" in out:
        parts = [p for p in out.split("；") if p and not _NOTHING_FOUND.search(p)]
        out = "；".join(parts)
    out = cn_dates(out)
    if criteria and _BARE.match(out.strip()):
        rule = criteria.strip().rstrip("。")
        out = f"{out}。评分标准：{rule}。"
    return out
