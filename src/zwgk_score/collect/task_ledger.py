"""Annual task ledger (工作任务台账): tasks completed by their deadline or late."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.collect.base import STATUS_NA, CollectContext, evidence_rows
from zwgk_score.collect.settings import TableSettings, declared_settings
from zwgk_score.collect.tables import (
    Column,
    Records,
    check_calendar,
    check_unique,
    collected,
    data_keys,
    fmt_dates,
    load_records,
    parse_dates,
    per_unit,
    workdays,
)

COLUMNS = (
    Column("unit", "责任单位", multi=True, label="责任单位"),
    Column("task", "任务编号", label="任务编号"),
    Column("name", "任务名称", required=False, blank_ok=True, label="任务名称"),
    Column("deadline", "完成时限", label="完成时限"),
    Column("completed", "完成时间", "date", blank_ok=True, label="完成时间"),
)
DEFAULT_KEYS = {"late": "task_late", "on_time": "task_on_time"}

#: Deadlines written as words (时限用语), e.g. ``2024年10月中旬``, ``5月底``, ``年底``.
_MONTH = r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<part>上旬|中旬|下旬|底|末|份)?$"
# 「年内」「到年底」「今年年底前」(聊城 2018) are the same year end
_YEAR_END = r"^(?:(?P<y>\d{4})年|今年|到)?(?:年底|年末|底|末|全年|年内)$"
_ONGOING = ("持续推进", "持续", "长期", "长期坚持", "常态化")
_PART_DAY = {"上旬": 10, "中旬": 20}


def parse_deadlines(records: Records, text: pd.Series, year: int) -> tuple[pd.Series, np.ndarray]:
    """Parse 完成时限 cells (vectorised).

    Dates as in :func:`parse_dates`; ``M月上旬`` → the 10th, ``M月中旬`` → the
    20th, ``M月下旬/底/末`` and ``M月`` → the month's last day, ``年底`` → 31
    December (the year is the assessment year unless written); a trailing
    ``前`` (``2022年底前``, ``5月底前``) is ignored; ``年内``, ``到年底`` and
    ``今年年底前`` are the year end too; ``持续推进``,
    ``长期`` and ``常态化`` are ongoing tasks without a deadline.

    Returns:
        ``(deadline, ongoing)``; ``deadline`` is NaT for ongoing tasks.

    Raises:
        DataError: a deadline in none of these forms.
    """
    # plans write "2022年底前" / "10月底前" / "2024年10月中旬前": "前" adds nothing to the date
    text = text.str.replace(r"(?<=[旬底末月份年])前$", "", regex=True)
    parsed = parse_dates(text)
    month = text.str.extract(_MONTH)
    has_month = month["m"].notna().to_numpy()
    y = pd.to_numeric(month["y"], errors="coerce").fillna(year).astype("int64")
    m = pd.to_numeric(month["m"], errors="coerce").fillna(1).clip(1, 12).astype("int64")
    start = pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": 1}))
    end = start + pd.offsets.MonthEnd(0)
    day = month["part"].map(_PART_DAY)
    from_month = end.where(day.isna(), start + pd.to_timedelta(day.fillna(1) - 1, unit="D"))
    bad_month = has_month & ~pd.to_numeric(month["m"], errors="coerce").between(1, 12).to_numpy()
    year_end = text.str.extract(_YEAR_END)
    has_year_end = text.str.fullmatch(_YEAR_END).to_numpy()
    ye = pd.to_datetime(
        pd.DataFrame(
            {
                "year": pd.to_numeric(year_end["y"], errors="coerce").fillna(year).astype("int64"),
                "month": 12,
                "day": 31,
            }
        )
    )
    ongoing = text.isin(_ONGOING).to_numpy()
    deadline = parsed.where(parsed.notna(), from_month.where(has_month, ye.where(has_year_end)))
    bad = (deadline.isna().to_numpy() & ~ongoing) | bad_month
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise records.error(
            i,
            "deadline",
            f"无法识别的完成时限「{text.iat[i]}」",
            hint="写成日期（2024-10-20）、「10月中旬」「5月底」「年底」，或「持续推进」",
        )
    return deadline.where(~ongoing), ongoing


class TaskLedgerCollector:
    """Collector ``task_ledger`` (工作任务台账): the annual plan's tasks and their completion.

    A cell naming several responsible units (``市发改委、市财政局``) makes the
    task count for each.  The ledger is read as it stands at the close of the
    inspection date (``period_end``): a task is *due* when its deadline is on
    or before that date or it is completed; it is *late* when completed after
    its deadline or still open with its deadline reached.  A task due on the
    inspection day itself and still open is late — 年底前 means done by the
    end of 12-31, and the year-end check reads the ledger at that end, as the
    ``deadline`` method scores an uncompleted task 0 — but its evidence says
    so (时限当日检查时仍未完成) instead of "逾期 0 天".
    Ongoing tasks (持续推进) are never due.

    Emits:

    - ``late``: one row (value 1) per late task, evidence with the days late
      in calendar days and working days;
    - ``on_time``: one row per roster unit, value = on-time ÷ due tasks
      (status ``na`` when the unit has no due task).
    """

    name = "task_ledger"

    def collect(self, settings: Mapping[str, Any] | Any, ctx: CollectContext) -> pd.DataFrame:
        """Read the ledger in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, TableSettings, self.name, ctx)
        records = load_records(settings, ctx, COLUMNS, path=path)
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx)
        check_unique(records, ["unit", "task"], "任务编号")
        f = records.frame
        deadline, ongoing = parse_deadlines(records, f["deadline"], ctx.year)
        check_calendar(records, ctx, ["deadline", "completed"], f.assign(deadline=deadline))
        done = f["completed"].notna().to_numpy()
        inspect = pd.Timestamp(ctx.period_end)
        stop = f["completed"].where(done, inspect)
        passed = (deadline <= inspect).to_numpy()
        late = ~ongoing & np.where(done, (f["completed"] > deadline).to_numpy(), passed)
        due = ~ongoing & (done | passed)
        on_time = due & ~late

        label = "任务 " + f["task"]
        if "name" in f.columns:
            label = label + pd.Series(
                np.where(f["name"] != "", "「" + f["name"] + "」", ""), dtype=object
            )
        frames = []
        if "late" in keys:
            dl, end = deadline[late], stop[late]
            calendar_days = (end - dl).dt.days.astype("int64").astype(str)
            work_days = pd.Series(workdays(ctx, dl, end), index=dl.index).astype(str)
            state = pd.Series(
                np.where(
                    done[late],
                    fmt_dates(end) + " 完成",
                    f"截至 {ctx.period_end.isoformat()} 未完成",
                ),
                index=dl.index,
                dtype=object,
            )
            overdue = "，逾期 " + calendar_days + " 天（" + work_days + " 个工作日）"
            # due on the inspection day itself and still open: late (the ledger is read at the
            # close of period_end), but no day has passed yet — never "逾期 0 天"
            on_the_day = (end == dl).to_numpy()
            evidence = (
                label[late]
                + "：完成时限 "
                + fmt_dates(dl)
                + "，"
                + state
                + overdue.where(~on_the_day, "（时限当日检查时仍未完成，按逾期计）")
            )
            frames.append(
                evidence_rows(
                    f["unit"][late],
                    keys["late"],
                    1.0,
                    text=np.where(done[late], "逾期完成", "未完成"),
                    evidence=evidence,
                    source=f["_source"][late],
                )
            )
        if "on_time" in keys:
            frames.append(
                self._on_time(ctx, f["unit"], due, on_time, ongoing, keys["on_time"], settings.file)
            )
        return collected(frames)

    @staticmethod
    def _on_time(
        ctx: CollectContext,
        units: pd.Series,
        due: np.ndarray,
        on_time: np.ndarray,
        ongoing: np.ndarray,
        key: str,
        source: str,
    ) -> pd.DataFrame:
        n_due, n_ok = per_unit(ctx, units, due), per_unit(ctx, units, on_time)
        n_all, n_ongoing = per_unit(ctx, units), per_unit(ctx, units, ongoing)
        rate = np.where(n_due > 0, n_ok / np.maximum(n_due, 1), np.nan)
        s = {
            k: pd.Series(v).astype(str)
            for k, v in {
                "all": n_all,
                "due": n_due,
                "ok": n_ok,
                "ongoing": n_ongoing,
                "later": n_all - n_due - n_ongoing,
            }.items()
        }
        evidence = (
            "任务 "
            + s["all"]
            + " 项，到期或已完成 "
            + s["due"]
            + " 项，按时完成 "
            + s["ok"]
            + " 项；未到期 "
            + s["later"]
            + " 项、持续推进 "
            + s["ongoing"]
            + " 项不计"
        )
        return evidence_rows(
            list(ctx.units),
            key,
            rate,
            status=np.where(n_due > 0, "ok", STATUS_NA),
            evidence=evidence,
            source=source,
        )


__all__ = ["TaskLedgerCollector", "parse_deadlines"]
