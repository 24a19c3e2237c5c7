"""Write the plain outputs of a scored assessment: JSON and per-group ranking CSVs."""

from __future__ import annotations

from pathlib import Path

from zwgk_score.atomic import atomic_write_text
from zwgk_score.outputs.tables import ranking_frame
from zwgk_score.results import Results


def write_results(results: Results, out_dir: str | Path) -> list[Path]:
    """Write ``results.json`` and ``排名_<类别>.csv`` per group into ``out_dir``; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "results.json"]
    results.to_json(written[0])
    for group in results.rubric.groups:
        path = out / f"排名_{group.name}.csv"
        # CSV opened by Excel: BOM so Chinese shows; text never becomes a formula
        atomic_write_text(path, "\ufeff" + ranking_frame(results, group.id).to_csv(index=False))
        written.append(path)
    return written
