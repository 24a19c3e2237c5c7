"""Collector ``liaocheng_site_check``: 聊城市政府网站与政务新媒体检查记录表.

The inspection team of the 市政府办公室 / 市信息化服务中心 fills one row per
unit each quarter and at year end.  The sheet's fixed headers are mapped onto
the data keys of rubric ``liaocheng-2018`` (task (41) website items, (44)(45)
new media, the website veto):

==================  ======================  =====================================
header              data key                cell
==================  ======================  =====================================
首页可访问率        site_availability       ``99.6%`` or ``0.996``
未更新栏目数        site_stale_columns      count (one deduction per column)
空白栏目数          site_blank_columns      count
错链断链数          site_broken_links       count
网站标识            site_badge              ``标识;链接;备案`` (or part ids)
必设栏目设置率      site_columns            ``95%`` or ``0.95``
新媒体运维评价      new_media_use           好 / 一般 / 差
新媒体问题数        new_media_issues        count
单项否决情形        site_veto               blank / 无 → no veto; any text → veto;
                                            availability < 95 % or ≥ 5 blank
                                            columns → veto whatever the cell says
==================  ======================  =====================================

检查发现的问题 (optional) is split at ``；`` and each finding goes to the rows it is
about (“栏目超过3个月未更新” to 未更新栏目数, “错链断链3处” to 错链断链数 …); a
finding that says nothing was found is dropped.  ``columns``
overrides headers (``{数据键 = "表头"}``); 不适用 cells give status ``na``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    CollectContext,
    DataError,
    ExportSettings,
    ScoreSheetCollector,
    check_keys,
    config_error,
    declared_settings,
    evidence_frame,
)

#: data key → default header of the inspection sheet
HEADERS = {
    "site_availability": "首页可访问率",
    "site_stale_columns": "未更新栏目数",
    "site_blank_columns": "空白栏目数",
    "site_broken_links": "错链断链数",
    "site_badge": "网站标识",
    "site_columns": "必设栏目设置率",
    "new_media_use": "新媒体运维评价",
    "new_media_issues": "新媒体问题数",
    "site_veto": "单项否决情形",
}
RATIO_KEYS = ("site_availability", "site_columns")
BADGE_KEY = "site_badge"
VETO_KEY = "site_veto"
#: words of the 网站标识 cell → checklist part ids of rubric item T41e
BADGE_WORDS = {
    "标识": "visible",
    "链接": "linked",
    "备案": "codes",
    "visible": "visible",
    "linked": "linked",
    "codes": "codes",
}
NO_VETO = ("", "无", "否", "0", "0.0", "-", "—")
REMARK_HEADER = "检查发现的问题"
#: settings handed on to the score-sheet reader when set
PASS_THROUGH = (
    "file",
    "sheet",
    "header_row",
    "encoding",
    "aliases",
    "skip_units",
    "control_chars",
    "long_cells",
)


@attrs.frozen(kw_only=True)
class SiteCheckSettings(ExportSettings):
    """Settings of ``liaocheng_site_check``: the sheet, ``columns`` by data key, ``remark_column``."""

    remark_column: str = REMARK_HEADER


class SiteCheckCollector:
    """Collector ``liaocheng_site_check``: the website and new-media inspection sheet (网站与新媒体检查记录表)."""

    name = "liaocheng_site_check"

    def collect(
        self, settings: Mapping[str, Any] | SiteCheckSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the sheet and return one evidence row per filled cell, mapped onto the rubric's keys."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, SiteCheckSettings, self.name, ctx)
        overrides = settings.columns
        check_keys(overrides, HEADERS, f"{path}.columns", ctx)
        remark = settings.remark_column
        if not remark.strip():
            raise config_error(
                ctx,
                f"{path}.remark_column",
                "remark_column 应为表头名称",
                hint=f'默认 "{REMARK_HEADER}"',
            )
        inner: dict[str, Any] = {
            k: getattr(settings, k) for k in PASS_THROUGH if getattr(settings, k) is not None
        }
        inner["columns"] = {**HEADERS, **overrides}
        inner["evidence_column"] = remark
        rows = ScoreSheetCollector().collect(inner, ctx)
        rows = _findings(rows)
        rows = _ratios(rows, settings)
        rows = _badge(rows, settings)
        rows = _veto(rows)
        return evidence_frame(rows)


#: data key → words of the findings (检查发现的问题) that concern it
FINDING_WORDS = {
    "site_availability": ("访问", "打开", "宕机"),
    "site_stale_columns": ("未更新", "更新不及时", "不更新"),
    "site_blank_columns": ("空白",),
    "site_broken_links": ("错链", "断链", "链接"),
    "site_badge": ("标识", "备案"),
    "site_columns": ("必设栏目", "栏目设置", "未设置", "未开设"),
    "new_media_use": ("新媒体", "公众号", "微博", "客户端"),
    "new_media_issues": ("新媒体", "公众号", "微博", "客户端"),
    "site_veto": ("否决",),
}
_NOTHING = ("未发现问题", "未发现", "无问题")


def _findings(rows: pd.DataFrame) -> pd.DataFrame:
    """Give each row only the findings about its own key (not the whole remark)."""
    if rows.empty:
        return rows
    rows = rows.copy()
    cache: dict[tuple[str, str], str] = {}
    out = []
    for key, text in zip(rows["key"], rows["evidence"], strict=True):
        k = (str(key), str(text))
        if k not in cache:
            words = FINDING_WORDS.get(k[0], ())
            parts = [p.strip() for p in k[1].replace(";", "；").split("；") if p.strip()]
            cache[k] = "；".join(
                p for p in parts if not any(n in p for n in _NOTHING) and any(w in p for w in words)
            )
        out.append(cache[k])
    rows["evidence"] = out
    return rows


def _where(rows: pd.DataFrame, i: int, settings: SiteCheckSettings) -> DataError:
    source = str(rows["source"].iat[i])
    file, _, rest = source.partition(":")
    return DataError(
        f"无法识别的单元格「{rows['text'].iat[i]}」",
        file=file or settings.file,
        path=f"第 {rest.replace('，', ' 行，', 1)}" if rest else None,
        hint="比率写成 99.5% 或 0.995；网站标识写“标识;链接;备案”中做到的各项",
    )


def _ratios(rows: pd.DataFrame, settings: SiteCheckSettings) -> pd.DataFrame:
    rows = rows.copy()
    sel = rows["key"].isin(RATIO_KEYS) & (rows["text"] != "")
    if sel.any():
        txt = rows.loc[sel, "text"].str.strip()
        pct = pd.to_numeric(
            txt.str.rstrip("%％").where(txt.str.contains("[%％]$")), errors="coerce"
        )
        if pct.isna().any():
            raise _where(
                rows,
                int(np.flatnonzero(sel.to_numpy())[int(np.flatnonzero(pct.isna().to_numpy())[0])]),
                settings,
            )
        rows.loc[sel, "value"] = pct / 100.0
        rows.loc[sel, "text"] = ""
    return rows


def _badge(rows: pd.DataFrame, settings: SiteCheckSettings) -> pd.DataFrame:
    sel = np.flatnonzero(
        (rows["key"] == BADGE_KEY).to_numpy() & (rows["status"] == "ok").to_numpy()
    )
    if not len(sel):
        return rows
    rows = rows.copy()
    for i in sel.tolist():
        text, value = str(rows["text"].iat[i]), rows["value"].iat[i]
        if not text and value == 0:  # 0 = none of the parts
            parts: list[str] = []
        else:
            words = [
                w for w in pd.Series([text]).str.split(r"\s*[;；、,，/]\s*", regex=True)[0] if w
            ]
            if not words or any(w not in BADGE_WORDS for w in words):
                raise _where(rows, int(i), settings)
            parts = list(dict.fromkeys(BADGE_WORDS[w] for w in words))
        rows.iat[i, rows.columns.tolist().index("text")] = ";".join(parts)  # "" = no part done
        rows.iat[i, rows.columns.tolist().index("value")] = np.nan
    return rows


#: measured veto thresholds of rubric V41 (national 2015 census): availability below 95 %,
#: 5 or more blank columns
MIN_AVAILABILITY = 0.95
MAX_BLANK = 5


def _measured(rows: pd.DataFrame) -> dict[str, list[str]]:
    """Unit → veto findings that follow from the measured cells, not from the free text."""
    found: dict[str, list[str]] = {}
    ok = rows["status"] == "ok"
    avail = rows[ok & (rows["key"] == "site_availability")]
    for unit, v in zip(avail["unit"], avail["value"], strict=True):
        if pd.notna(v) and v < MIN_AVAILABILITY:
            found.setdefault(str(unit), []).append(
                f"首页可访问率{v * 100:.1f}%，低于{MIN_AVAILABILITY * 100:g}%"
            )
    blank = rows[ok & (rows["key"] == "site_blank_columns")]
    for unit, v in zip(blank["unit"], blank["value"], strict=True):
        if pd.notna(v) and v >= MAX_BLANK:
            found.setdefault(str(unit), []).append(f"空白栏目{v:g}个（{MAX_BLANK}个及以上）")
    return found


def _veto(rows: pd.DataFrame) -> pd.DataFrame:
    """The veto row: the 单项否决情形 cell, or a measured threshold (availability, blank columns)."""
    measured = _measured(rows)
    have = set(rows.loc[rows["key"] == VETO_KEY, "unit"].astype(str))
    extra = [
        {
            "unit": unit,
            "key": VETO_KEY,
            "value": 0.0,
            "text": "",
            "status": "ok",
            "evidence": "",
            "source": rows.loc[rows["unit"] == unit, "source"].iat[0],
        }
        for unit in measured
        if unit not in have  # a blank 单项否决情形 cell: the measured threshold still applies
    ]
    if extra:
        rows = pd.concat([rows, pd.DataFrame(extra)], ignore_index=True)
    sel = (rows["key"] == VETO_KEY) & (rows["status"] == "ok")
    if not sel.any():
        return rows
    rows = rows.copy()
    text = rows.loc[sel, "text"].str.strip()
    number = rows.loc[sel, "value"]
    by_rule = rows.loc[sel, "unit"].map(lambda u: "；".join(measured.get(str(u), [])))
    written = ~text.isin(NO_VETO) | (number.fillna(0) > 0)
    hit = written | (by_rule != "")
    words = np.where(
        written & (by_rule != ""),
        text + "（" + by_rule + "）",
        np.where(written, text.where(text != "", "单项否决"), by_rule),
    )
    rows.loc[sel, "value"] = hit.astype(float)
    rows.loc[sel, "evidence"] = np.where(hit, words, "未发现单项否决情形")
    rows.loc[sel, "text"] = ""
    return rows
