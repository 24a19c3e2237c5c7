"""Exporters (输出格式) registered through the ``register_exporters`` plugin hook.

Each has a ``name`` and ``export(results, out_dir, options) -> list[Path]``;
``options`` is the assessment config's ``[notice]`` table merged with
``[outputs]`` (keys in docs/outputs.md).  Every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zwgk_score.atomic import atomic_write_text
from zwgk_score.outputs.docx_render import render_docx
from zwgk_score.outputs.excel import creation_time, write_workbook
from zwgk_score.outputs.feedback import (
    FeedbackJobs,
    SheetMaker,
    feedback_paths,
    feedback_settings,
)
from zwgk_score.outputs.feedback_pool import write_all
from zwgk_score.outputs.markdown import render_markdown
from zwgk_score.outputs.notice import notice_context
from zwgk_score.outputs.notice_options import notice_options
from zwgk_score.results import Results

#: file names inside the output folder
WORKBOOK_NAME = "考核结果.xlsx"
NOTICE_NAME = "通报"
FEEDBACK_DIR = "反馈单"


class ExcelExporter:
    """考核结果.xlsx: summary per group, a chart per group, details, rubric and data sheets."""

    name = "excel"

    def export(self, results: Results, out_dir: Path, options: Mapping[str, Any]) -> list[Path]:
        opts = notice_options(options)
        path = Path(out_dir) / WORKBOOK_NAME
        created = creation_time(results, opts.date)
        name = options.get("assessment_name")
        warnings = options.get("warnings", ())
        return [
            write_workbook(
                results,
                path,
                previous=opts.previous,
                created=created,
                name=name if isinstance(name, str) and name else None,
                warnings=warnings,
                history=opts.history,
                history_periods=opts.history_periods,
            )
        ]


class NoticeExporter:
    """通报.md and 通报.docx (GB/T 9704) from the annual or quarterly template."""

    name = "notice"

    def export(self, results: Results, out_dir: Path, options: Mapping[str, Any]) -> list[Path]:
        opts = notice_options(options)
        context = notice_context(results, opts)
        text = render_markdown(context, opts.template, opts.template_dirs)
        md = Path(out_dir) / f"{NOTICE_NAME}.md"
        atomic_write_text(md, text)
        docx = render_docx(
            text,
            Path(out_dir) / f"{NOTICE_NAME}.docx",
            created=creation_time(results, opts.date),
            title=context["title"],
            author=context["issuer"],
        )
        return [md, docx]


class FeedbackExporter:
    """反馈单/反馈单_<单位>.xlsx and .docx, one of each per unit, written on every core."""

    name = "feedback"

    def export(self, results: Results, out_dir: Path, options: Mapping[str, Any]) -> list[Path]:
        opts = notice_options(options)
        folder = Path(out_dir) / FEEDBACK_DIR
        created = creation_time(results, opts.date)
        kinds = ["xlsx"] + (["docx"] if options.get("feedback_docx", True) else [])
        paths = {k: feedback_paths(results, folder, f".{k}") for k in kinds}
        # one unit's files side by side, so each worker's slice costs about the same; the
        # sheets are built where a slice of jobs is taken, never all at once
        jobs = FeedbackJobs(SheetMaker(results, feedback_settings(options)), kinds, paths)
        workers = options.get("feedback_workers")
        progress = options.get("progress")
        written = write_all(
            jobs,
            created=created,
            workers=workers if isinstance(workers, int) else None,
            progress=progress if callable(progress) else None,
        )
        return [p for k in kinds for p in written if p.suffix == f".{k}"]


EXPORTERS = (ExcelExporter(), NoticeExporter(), FeedbackExporter())
