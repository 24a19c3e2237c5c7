"""Plain outputs of a scored assessment: ``results.json`` and per-group ranking CSVs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from zwgk_score.atomic import atomic_write_text
from zwgk_score.outputs.csvsafe import csv_text
from zwgk_score.outputs.tables import ranking_frame
from zwgk_score.results import Results


def write_results(
    results: Results, out_dir: str | Path, warnings: Sequence[Any] = ()
) -> list[Path]:
    """Write ``results.json`` and ``排名_<类别id>.csv`` per group into ``out_dir``; return the paths.

    ``warnings`` (the run's :class:`~zwgk_score.crosscheck.RunWarning` records)
    are added to results.json as ``warnings`` when there are any.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "results.json"]
    # streamed in chunks, same bytes as json.dumps(indent=1): a national-scale file is gigabytes
    results.write_json(
        written[0], {"warnings": [w.to_dict() for w in warnings]} if warnings else None
    )
    for group in results.rubric.groups:
        path = out / f"排名_{group.id}.csv"
        # BOM so that Excel shows the Chinese; text cells that would run as formulas are neutralised
        atomic_write_text(path, csv_text(ranking_frame(results, group.id)))
        written.append(path)
    return written


class TablesExporter:
    """Exporter ``json``: the JSON result (docs/results.md) and ranking CSVs per group."""

    name = "json"

    def export(self, results: Results, out_dir: Path, options: Mapping[str, Any]) -> list[Path]:
        return write_results(results, out_dir, options.get("warnings", ()))
