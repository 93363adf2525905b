"""`refkit batch`: check millions of references against Crossref's public
data file on Apache Spark (pyspark: pip install 'refkit-doi[spark]')."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from refkit.errors import RefkitError


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True), metavar="INPUT...")
@click.option("--dump", "dumps", multiple=True, required=True, type=click.Path(exists=True),
              help="Crossref's public data file: its folder or data files (repeatable).")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Folder for the result rows (Spark writes part files into it).")
@click.option("--format", "out_format", type=click.Choice(["jsonl", "parquet"]), default="jsonl",
              show_default=True, help="Rows as JSON Lines or Parquet.")
@click.option("--master", default="local[*]", show_default=True,
              help="Spark master: local[N], spark://host:7077, yarn, k8s://…")
@click.option("--partitions", type=click.IntRange(1), default=None,
              help="Shuffle partitions (default: 4 per core locally, 200 on a cluster).")
@click.option("--from", "fmt", help="Read every document as this format (default: sniffed).")
def batch(inputs: tuple[str, ...], dumps: tuple[str, ...], output: str, out_format: str, master: str,
          partitions: int | None, fmt: str | None) -> None:
    """Check every reference in INPUT... against Crossref's public data file
    on Apache Spark: the verdicts `refkit check --source INDEX` gives, for
    millions of references at once.

    INPUT is documents or folders of them (any format `refkit check` reads),
    or .jsonl files of reference strings (one per line: a JSON string, or
    {"id": ..., "reference": ...}). The output folder gets one row per
    reference (status, DOI, fix, findings) and summary.json; the summary
    line goes to stderr.

    \b
    Examples:
      refkit batch refs.jsonl --dump crossref-2025/ -o checked/
      refkit batch papers/ --dump crossref-2025/ -o checked/ --format parquet
      refkit batch refs.jsonl --dump hdfs:///crossref/ -o out/ --master yarn
    """
    try:
        from refkit.batch import job
    except ImportError:
        raise RefkitError("refkit batch needs pyspark (and Java 17+): pip install 'refkit-doi[spark]'") from None
    local = master.startswith("local")
    spark = job.session(master, partitions or (_local_cores(master) * 4 if local else 200))
    started = time.perf_counter()
    try:
        result = job.run(spark, inputs, dumps, output, out_format, fmt)
    finally:
        spark.stop()
    seconds = time.perf_counter() - started
    summary = result.summary
    Path(output, "summary.json").write_text(json.dumps(
        {"summary": summary, "snapshot_date": result.snapshot_date, "dump_records": result.records,
         "seconds": round(seconds, 1)}, indent=2) + "\n", encoding="utf-8")
    from refkit.report import summary_text

    click.echo(summary_text(summary), err=True)
    click.echo(f"(answers from the Crossref data file of {result.snapshot_date}, {result.records:,} records; "
               f"{summary['references'] / max(seconds, 1e-9):,.0f} references/s on {master})", err=True)
    sys.exit(1 if summary["findings"]["error"] else 0)


def _local_cores(master: str) -> int:
    import os

    inside = master[master.find("[") + 1:master.find("]")] if "[" in master else "1"
    return os.cpu_count() or 2 if inside == "*" else max(1, int(inside) if inside.isdigit() else 2)
