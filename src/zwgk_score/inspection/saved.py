"""Saved crawls (保存的抓取结果): a crawl as a versioned JSON file.

A saved crawl lets an assessment be scored again, with other thresholds or an
other inspection date, without fetching the sites again.  The file holds
``{"format": "zwgk-score/website-crawl", "version": 1, "crawled_at": …,
"sites": [...]}``; the site records are those of
:mod:`zwgk_score.inspection.record`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import cattrs

from zwgk_score.atomic import atomic_write_text
from zwgk_score.errors import DataError, OutputError
from zwgk_score.inspection.record import CRAWL_VERSION, Crawl
from zwgk_score.structure import structure

FORMAT = "zwgk-score/website-crawl"


def crawl_to_dict(crawl: Crawl) -> dict[str, object]:
    """The JSON-ready form of a crawl."""
    data = cattrs.Converter().unstructure(crawl)
    return {"format": FORMAT, **data}


def save_crawl(crawl: Crawl, path: str | Path) -> Path:
    """Write ``crawl`` to ``path`` as UTF-8 JSON (keys in record order, CJK unescaped).

    Returns:
        The path written.
    """
    p = Path(path)
    text = json.dumps(crawl_to_dict(crawl), ensure_ascii=False, indent=1) + "\n"
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(p, text)
    except OSError as exc:
        raise OutputError(
            f"无法写出抓取结果：{exc.strerror or exc}",
            file=p,
            hint="检查 save_to 的目录是否存在、是否可写",
        ) from None
    return p


@attrs.frozen
class _Pending:
    crawl: Crawl
    path: Path
    keep_on_failure: bool


_RUNS: list[list[_Pending]] = []


@contextlib.contextmanager
def deferred_saves() -> Iterator[None]:
    """Hold back :func:`save_after_run` saves until the block (a run) ends.

    When the block succeeds the crawls are written; when it fails they are
    dropped, except those asked for with ``save_partial``, which are written
    marked ``partial`` with the failure as the reason.
    """
    pending: list[_Pending] = []
    _RUNS.append(pending)
    try:
        yield
    except BaseException as exc:
        _RUNS.remove(pending)
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        for p in pending:
            if p.keep_on_failure:
                partial = attrs.evolve(p.crawl, partial=True, partial_reason=f"运行失败：{reason}")
                with contextlib.suppress(OutputError):
                    save_crawl(partial, p.path)
        raise
    _RUNS.remove(pending)
    for p in pending:
        save_crawl(p.crawl, p.path)


def save_after_run(crawl: Crawl, path: Path, *, keep_on_failure: bool = False) -> None:
    """Save ``crawl`` when the current run succeeds (at once outside a run)."""
    if _RUNS:
        _RUNS[-1].append(_Pending(crawl, path, keep_on_failure))
    else:
        save_crawl(crawl, path)


def load_crawl(path: str | Path) -> Crawl:
    """Read a saved crawl.

    Raises:
        DataError: the file is missing, not JSON, of another format or version,
            or malformed (the message names the place inside it).
    """
    p = Path(path)
    hint = "重新进行一次在线检查（设置 save_to）生成该文件，或删除 saved_crawl 设置"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("保存的抓取结果文件不存在", file=p, hint=hint) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"不是有效的 JSON 文件（{exc}）", file=p, hint=hint) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError("不是 zwgk-score 保存的网站抓取结果", file=p, path="format", hint=hint)
    if data.get("version") != CRAWL_VERSION:
        raise DataError(
            f"抓取结果版本为 {data.get('version')}，本程序只能读取版本 {CRAWL_VERSION}",
            file=p,
            path="version",
            hint=hint,
        )
    body = {k: v for k, v in data.items() if k != "format"}
    return structure(body, Crawl, error=DataError, file=p, hint=hint)
