"""The Spark job of `refkit batch`: references and the Crossref dump in,
one row per reference out (JSON Lines or Parquet), with a summary.

    units     documents (or lines of a JSONL of reference strings), each a group of citations
    keys      (unit, position, key) for every reference; (key, doi) for every dump record
    join      references meet the records sharing a key (keys held by too many records dropped)
    resolve   per unit, in the executors: the resolver over those candidates

The dump is read by Spark itself (each data file whole: they are a few MB),
in both layouts; the newest copy of a DOI wins, as in the index. Runs on
local[*] and, unchanged, on a cluster (--master), refkit installed on the
executors.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from refkit.batch.candidates import resolve_group, row_of
from refkit.batch.keys import record_keys, reference_keys
from refkit.corpus import expand_paths, read_corpus
from refkit.errors import RefkitError
from refkit.model import Citation, Location
from refkit.readers.reflist import citation_from_text
from refkit.report import summary_of
from refkit.resolving.snapshot.datafile import Part, files_of, records_of
from refkit.resolving.snapshot.slim import doi_key, pack, slim, stamp, unpack

_LOG4J = Path(__file__).with_name("log4j2.properties").as_uri()
MAX_KEY_RECORDS = 1000  # a key shared by more records than this says too little to block on
_FINDING = T.StructType([T.StructField(name, T.StringType()) for name in
                         ("code", "name", "severity", "message", "source", "label", "printed", "registered", "fix")])
ROW_SCHEMA = T.StructType([
    T.StructField("unit", T.StringType()), T.StructField("position", T.IntegerType()),
    T.StructField("source", T.StringType()), T.StructField("label", T.StringType()),
    T.StructField("reference", T.StringType()), T.StructField("status", T.StringType()),
    T.StructField("doi", T.StringType()), T.StructField("confidence", T.DoubleType()),
    T.StructField("fix", T.StringType()), T.StructField("findings", T.ArrayType(_FINDING)),
])


@dataclass
class BatchResult:
    """What the job did: references resolved, summary counts, the snapshot's date."""

    summary: dict[str, Any]
    snapshot_date: str
    records: int


def session(master: str, partitions: int, app: str = "refkit batch") -> SparkSession:
    """A Spark session on `master` (local[*], spark://…, yarn), quiet on the
    console; a local one runs its Python workers with this interpreter and
    talks over the loopback address only."""
    builder = (SparkSession.builder.master(master).appName(app)
               .config("spark.sql.shuffle.partitions", str(partitions))
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.log.level", "ERROR")
               .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG4J}"))
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(spark: SparkSession, inputs: Sequence[str], dumps: Sequence[str], output: str,
        out_format: str = "jsonl", fmt: str | None = None) -> BatchResult:
    """Resolve every reference of `inputs` against the dump files `dumps`, writing `output`."""
    sc = spark.sparkContext
    units = _units(spark, inputs, fmt).persist()
    dump_files = [str(p.path) for d in dumps for p in files_of(Path(d))]
    if not dump_files:
        raise RefkitError("no Crossref data files in " + ", ".join(dumps))
    records = (sc.parallelize(dump_files, min(len(dump_files), sc.defaultParallelism * 4))
               .flatMap(_read_dump_file)
               .reduceByKey(_newer)  # one copy per DOI: the newest, as in the index
               .persist())
    snapshot_date = (records.map(lambda kv: kv[1][0]).fold("", max) or "")[:10] or "unknown date"
    record_df = spark.createDataFrame(records.map(lambda kv: (kv[0], kv[1][1])), "doi string, blob binary")
    record_keys_df = spark.createDataFrame(
        records.flatMap(lambda kv: [(key, kv[0]) for key in record_keys(unpack(kv[1][1]))]),
        "key string, doi string")
    useful = record_keys_df.groupBy("key").count().filter(F.col("count") <= MAX_KEY_RECORDS).select("key")
    reference_keys_df = spark.createDataFrame(
        units.flatMap(lambda u: [(key, u[0], position) for position, key in reference_keys(u[1])]),
        "key string, unit string, position int")
    candidates = (reference_keys_df.join(useful, "key").join(record_keys_df, "key")
                  .select("unit", "position", "doi").distinct()
                  .join(record_df, "doi")
                  .groupBy("unit").agg(F.collect_list(F.struct("position", "blob")).alias("found")))
    found = candidates.rdd.map(lambda r: (r["unit"], [(c["position"], bytes(c["blob"])) for c in r["found"]]))
    rows = units.leftOuterJoin(found).flatMap(lambda kv: _resolve_unit(kv[0], kv[1], snapshot_date))
    table = spark.createDataFrame(rows, ROW_SCHEMA).orderBy("unit", "position").persist()
    writer = table.write.mode("overwrite")
    if out_format == "parquet":
        writer.parquet(output)
    else:
        writer.json(output)
    summary = _summary(table)
    count = records.count()
    table.unpersist()
    units.unpersist()
    records.unpersist()
    return BatchResult(summary, snapshot_date, count)


def _units(spark: SparkSession, inputs: Sequence[str], fmt: str | None):
    """(unit id, citations) for every document, or every line of a JSONL of references."""
    sc = spark.sparkContext
    lines = [p for p in inputs if str(p).lower().endswith((".jsonl", ".jsonl.gz", ".ndjson"))]
    documents = [str(p) for p in expand_paths([p for p in inputs if p not in lines])] if \
        len(lines) < len(inputs) else []
    parts = []
    if documents:
        parts.append(sc.parallelize(documents, max(1, min(len(documents), sc.defaultParallelism * 4)))
                     .flatMap(lambda path: _read_document(path, fmt)))
    for path in lines:
        parts.append(sc.textFile(path).zipWithIndex().flatMap(lambda lw, path=path: _reference_line(path, *lw)))
    if not parts:
        raise RefkitError("nothing to read: give documents, folders or a .jsonl of reference strings")
    return sc.union(parts) if len(parts) > 1 else parts[0]


def _read_document(path: str, fmt: str | None) -> list[tuple[str, list[Citation]]]:
    corpus = read_corpus([path], fmt)
    return [(path, corpus.citations)] if corpus.citations else []


def _reference_line(path: str, line: str, index: int) -> list[tuple[str, list[Citation]]]:
    """A line of a JSONL of references: a JSON string, or an object with "reference" (and "id")."""
    text = line.strip()
    if not text:
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = text
    raw = value.get("reference") if isinstance(value, dict) else value
    if not isinstance(raw, str) or not raw.strip():
        return []
    label = str(value.get("id") or index + 1) if isinstance(value, dict) else str(index + 1)
    return [(f"{path}:{index + 1}", [citation_from_text(raw, Location(file=path, line=index + 1, label=label))])]


def _read_dump_file(path: str) -> Iterator[tuple[str, tuple[str, bytes]]]:
    """(DOI, (stamp, packed slim record)) for every record of one data file."""
    for record in records_of(Part(path, 0, 0, path=Path(path))).items:
        yield doi_key(record), (stamp(record), pack(slim(record)))


def _newer(a: tuple[str, bytes], b: tuple[str, bytes]) -> tuple[str, bytes]:
    return max(a, b)  # by stamp, the bytes settling a tie: the index's rule


def _resolve_unit(unit: str, joined: tuple[list[Citation], list[tuple[int, bytes]] | None],
                  snapshot_date: str) -> list[dict[str, Any]]:
    citations, found = joined
    candidates = [(position, unpack(blob)) for position, blob in found or []]
    resolutions = resolve_group(citations, candidates, snapshot_date)
    return [row_of(r, unit, i) for i, r in enumerate(resolutions)]


def _summary(table) -> dict[str, Any]:
    """The counts `refkit check` reports, computed where the rows are."""
    statuses = {row[0]: row[1] for row in table.groupBy("status").count().collect()}
    severities = {row[0]: row[1] for row in table.select(F.explode("findings").alias("f"))
                  .groupBy("f.severity").count().collect()}
    return summary_of(statuses, severities)
