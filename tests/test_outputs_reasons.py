"""失分原因 rewritten for the unit that must fix it (outputs/reasons.py)."""

from __future__ import annotations

import pytest

from zwgk_score.outputs.reasons import cn_dates, readable_reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-04-12 收到", "2024年4月12日收到"),
        ("完成时限 2023-07-31，2023-08-08 完成", "完成时限2023年7月31日，2023年8月8日完成"),
        ("2018-08-20 16:00 作出", "2018年8月20日16:00作出"),
        ("编号 12024-04-123 不是日期", "编号 12024-04-123 不是日期"),
    ],
)
def test_dates_in_words(text, expected):
    assert cn_dates(text) == expected


def test_task_due_on_the_last_day_is_not_late_by_zero_days():
    text = "任务 RW02「适老化改造」：完成时限 2023-12-31，截至 2023-12-31 未完成，逾期 0 天（0 个工作日）"
    assert readable_reason(text) == (
        "任务 RW02「适老化改造」：完成时限2023年12月31日，截至2023年12月31日到期未完成"
    )


def test_zero_working_day_limit_means_at_the_same_time():
    text = "政策 X：截至 2024-12-31 未发布解读，已 163 个工作日（时限 0 个工作日）"
    assert readable_reason(text).endswith("已 163 个工作日（要求同步发布）")


def test_nothing_found_remark_is_dropped_from_a_deducted_row():
    assert readable_reason(
        "评定为「一般」；年终检查未发现问题", criteria="好得满分；一般得50%。"
    ) == ("评定为「一般」。评分标准：好得满分；一般得50%。")
    # a remark with a finding stays
    assert readable_reason("评定为「一般」；“工作动态”栏目超过3个月未更新") == (
        "评定为「一般」；“工作动态”栏目超过3个月未更新"
    )


def test_bare_method_summary_gets_the_rule():
    rule = "栏目未按时更新的，每处扣0.5分，扣完为止。"
    assert readable_reason("发现问题 2 处，每处扣 0.5 分", criteria=rule) == (
        "发现问题 2 处，每处扣 0.5 分。评分标准：栏目未按时更新的，每处扣0.5分，扣完为止。"
    )
    assert readable_reason("未达到要求", criteria=None) == "未达到要求"
    # a reason that already names the finding is left as it is
    found = "发现问题 1 处，每处扣 0.5 分；栏目「政策解读」无内容"
    assert readable_reason(found, criteria=rule) == found
