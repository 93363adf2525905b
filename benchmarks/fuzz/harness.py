"""Run one fuzz case in a forked child under a CPU-time and memory cap:
`refkit extract` and `refkit export --offline` through the CLI's own entry
point, in-process, then the export re-parsed by independent parsers
(pybtex and bibtexparser for BibTeX, rispy for RIS, json + jsonschema with
the official CSL-JSON schema). The parent collects what happened: exit
codes, internal errors with where they were raised, CPU seconds per
command, peak RSS, messages that were not one line, terminal escapes in
output, and re-parse failures."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import jsonschema
import rispy
from pybtex.database.input.bibtex import Parser

from refkit.cli import main as refkit_main
from refkit.errors import InputError
from refkit.readers import sniff

WRITER_SUFFIX = {"bibtex": ".bib", "ris": ".ris", "csljson": ".json"}
_WRITTEN = re.compile(r"refkit: (\d+) references(?: and (\d+) orphan notes)? written")
_VERBATIM = re.compile(r"^\s*(?:doi|url|eprint|file) = \{(.*)\},?$", re.MULTILINE)
_TEX_UNSAFE = re.compile(r"[\\{}^\x00-\x1f\x7f-\x9f]")
_TEX_CODE = re.compile(r"\^\^|\\[A-Za-z]|[{}]")
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
UNFINISHED = "not finished within its budget of"  # a re-parse stopped at the checker's own CPU cap


@dataclass(frozen=True)
class Caps:
    """Limits for one case: CPU seconds per refkit command (a case over it is
    counted), CPU seconds for each independent parser's re-parse of the
    export (the checker's own budget: pybtex is quadratic in a long quoted
    value full of braces, and its time is no cost of refkit's), and the peak
    RSS that counts as too much (the address space is capped above it)."""

    cpu_seconds: float = 10.0
    reparse_cpu_seconds: float = 150.0
    memory_mb: int = 1024
    wall_seconds: float = 1800.0  # only for a child that waits rather than computes

    @property
    def kill_after_cpu(self) -> int:
        """CPU seconds after which the child is killed: both commands at
        their cap, three re-parses at theirs, and a margin."""
        return int(2 * self.cpu_seconds + 3 * self.reparse_cpu_seconds + 30)


@dataclass
class Case:
    """One input and how it is run."""

    number: int
    origin: str  # "seed NAME" or "grammar NAME"
    steps: list[str]  # the mutations applied, if any
    data: bytes
    suffix: str
    forced: str | None  # a --from format, or None to let refkit sniff
    writer: str  # export format
    extract_format: str  # "table" or "json"


@dataclass
class Outcome:
    """What one case did."""

    number: int
    origin: str
    steps: list[str]
    size: int
    forced: str | None
    writer: str
    reader: str = "?"
    exits: dict[str, int | None] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    rss_mb: float = 0.0
    killed: str | None = None  # "cpu", "wall", "memory" or "signal N"
    over_cap: list[str] = field(default_factory=list)  # commands stopped at the CPU cap
    reparse_cpu: dict[str, float] = field(default_factory=dict)  # parser -> CPU seconds of its re-parse
    tex_payloads: int = 0  # exported verbatim BibTeX values that held TeX code before encoding
    internal: list[str] = field(default_factory=list)  # "Type: message @ file:line"
    not_one_line: list[str] = field(default_factory=list)
    escapes: list[str] = field(default_factory=list)
    reparse: dict[str, str] = field(default_factory=dict)  # parser -> "ok" or what failed

    @property
    def max_cpu(self) -> float:
        return max(self.cpu.values(), default=0.0)


class Running:
    """A forked child running a case."""

    def __init__(self, case: Case, folder: Path, caps: Caps, schema: dict | None) -> None:
        self.case, self.folder, self.started = case, folder, time.monotonic()
        folder.mkdir(parents=True)
        (folder / f"input{case.suffix}").write_bytes(case.data)
        self.pid = os.fork()
        if self.pid == 0:
            _child(case, folder, caps, schema)

    def finish(self, status: int, usage: resource.struct_rusage, caps: Caps, killed: str | None) -> Outcome:
        """The outcome from the child's report, exit status and resource use."""
        case = self.case
        outcome = Outcome(case.number, case.origin, case.steps, len(case.data), case.forced, case.writer)
        report_file = self.folder / "result.json"
        report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.is_file() else {}
        outcome.__dict__.update(report)  # the reader alone when the child did not get to the end
        outcome.rss_mb = usage.ru_maxrss / 1024
        outcome.killed = outcome.killed or killed or _killed_by(status, usage, caps)
        if outcome.killed is None and "exits" not in report:
            outcome.internal.append(f"the child ended without a report (status {status})")
        if outcome.rss_mb > caps.memory_mb and outcome.killed is None:
            outcome.killed = "memory"
        return outcome


def _killed_by(status: int, usage: resource.struct_rusage, caps: Caps) -> str | None:
    if not os.WIFSIGNALED(status):
        return None
    number = os.WTERMSIG(status)
    if number == signal.SIGXCPU or (number == signal.SIGKILL
                                    and usage.ru_utime + usage.ru_stime >= caps.kill_after_cpu):
        return "cpu"
    return f"signal {number}"


# --- in the child ------------------------------------------------------------------------------

def _child(case: Case, folder: Path, caps: Caps, schema: dict | None) -> None:
    """Run the case and write result.json; never returns."""
    code = 0
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (caps.kill_after_cpu, caps.kill_after_cpu + 5))
        limit = (caps.memory_mb + 512) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.environ["REFKIT_DEBUG"] = "1"  # exceptions reach us with their traceback
        report = _run_case(case, folder, schema, caps)
    except MemoryError:
        report, code = {"killed": "memory"}, 3
    except BaseException as exc:  # noqa: BLE001  (a harness failure is reported, never raised)
        report, code = {"internal": [f"harness: {_where(exc)}"]}, 4
    try:
        (folder / "result.json").write_text(json.dumps(report), encoding="utf-8")
    finally:
        os._exit(code)


def _run_case(case: Case, folder: Path, schema: dict | None, caps: Caps) -> dict:
    path = folder / f"input{case.suffix}"
    forced = ["--from", case.forced] if case.forced else []
    output = folder / f"export{WRITER_SUFFIX[case.writer]}"
    report: dict = {"reader": case.forced or _sniffed(path, case.data), "exits": {}, "cpu": {},
                    "internal": [], "not_one_line": [], "escapes": [], "reparse": {}, "reparse_cpu": {},
                    "over_cap": []}
    (folder / "result.json").write_text(json.dumps({"reader": report["reader"]}), encoding="utf-8")
    commands = {
        "extract": ["extract", str(path), "--format", case.extract_format, *forced],
        "export": ["export", str(path), "-t", case.writer, "-o", str(output), "--offline",
                   "--cache-dir", str(folder / "cache"), *forced],
    }
    for name, argv in commands.items():
        exit_code, stdout, stderr, cpu, internal = _run_cli(argv, folder / name, caps.cpu_seconds)
        report["exits"][name], report["cpu"][name] = exit_code, cpu
        if exit_code is None:
            report["over_cap"].append(name)
        report["internal"] += internal
        report["not_one_line"] += [line for line in stderr.splitlines() if not line.startswith("refkit: ")][:3]
        report["escapes"] += [f"{name}: {m.group(0)!r}" for m in _TERMINAL_CONTROL.finditer(stdout + stderr)][:3]
        if name == "extract" and exit_code == 0 and case.extract_format == "json":
            checks = {"extract-json": lambda: json.loads(_text(folder / "extract.out", None))}
            _record(report, checks, caps.reparse_cpu_seconds)
        if name == "export" and exit_code == 0:
            written = _WRITTEN.search(stderr)
            count = sum(int(n or 0) for n in written.groups()) if written else -1
            exported = output.read_text(encoding="utf-8")
            checks = reparse_checks(case.writer, exported, count, schema, from_tex=report["reader"] == "bibtex")
            _record(report, checks, caps.reparse_cpu_seconds)
            if case.writer == "bibtex":
                report["tex_payloads"] = sum(bool(_TEX_CODE.search(unquote(v))) for v in _VERBATIM.findall(exported))
    return report


def _sniffed(path: Path, data: bytes) -> str:
    try:
        return sniff(str(path), data)
    except InputError:
        return "refused"
    except Exception as exc:  # noqa: BLE001  (the CLI run reports it as an internal error)
        return f"sniff failed: {type(exc).__name__}"


class _OverCap(BaseException):
    """Raised in a command that has used up its CPU seconds (SIGPROF)."""


def _over_cap(signum, frame):  # noqa: ARG001  (a signal handler's signature)
    raise _OverCap


def _run_cli(argv: list[str], stem: Path, cpu_cap: float = 0.0) -> tuple[int | None, str, str, float, list[str]]:
    """refkit's main() in this process with stdout and stderr going to files;
    stopped (exit None) once it has used `cpu_cap` CPU seconds, when given."""
    out_path, err_path = stem.with_suffix(".out"), stem.with_suffix(".err")
    saved = os.dup(1), os.dup(2)
    internal: list[str] = []
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(out.fileno(), 1), os.dup2(err.fileno(), 2)
        sys.argv = ["refkit", *argv]
        start = _cpu()
        signal.signal(signal.SIGPROF, _over_cap)
        signal.setitimer(signal.ITIMER_PROF, cpu_cap + 0.1 if cpu_cap else 0)
        try:
            refkit_main()
            exit_code: int | None = 0
        except SystemExit as exc:
            exit_code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except _OverCap:
            exit_code = None
        except MemoryError:
            raise
        except BaseException as exc:  # noqa: BLE001  (REFKIT_DEBUG lets bugs through to us)
            exit_code = 70
            internal.append(_where(exc))
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        cpu = _cpu() - start
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(saved[0], 1), os.dup2(saved[1], 2)
    return (exit_code, _text(out_path), _text(err_path), round(cpu, 3), internal)


def warm_up(seeds: list, folder: Path) -> None:
    """Run both commands once on a small seed of each kind, in this process,
    so that the modules refkit imports on first use are loaded before any
    case is forked and no case pays for them."""
    folder.mkdir(parents=True, exist_ok=True)
    by_suffix = {}
    for seed in sorted(seeds, key=lambda s: len(s.data)):
        by_suffix.setdefault(seed.suffix, seed)
    for number, seed in enumerate(by_suffix.values()):
        path = folder / f"warm-{number}{seed.suffix}"
        path.write_bytes(seed.data)
        for writer in WRITER_SUFFIX:
            _run_cli(["export", str(path), "-t", writer, "-o", str(folder / f"warm{WRITER_SUFFIX[writer]}"),
                      "--offline", "--cache-dir", str(folder / "cache")], folder / "warm-export")
        _run_cli(["extract", str(path)], folder / "warm-extract")
    remove(folder)


def reparse_checks(writer: str, text: str, count: int, schema: dict | None,
                   from_tex: bool = False) -> dict[str, Callable[[], object]]:
    """Each independent parser's check of an export, by parser: each raises
    when the export does not read back with `count` records. `from_tex`: the
    input was BibTeX, whose own LaTeX may come back as written outside the
    verbatim fields."""
    if writer == "bibtex":
        return {"pybtex": lambda: _expect(len(Parser().parse_string(text).entries), count),
                "bibtexparser": lambda: _bibtexparser(text, count),
                "tex-safe": lambda: _tex_safe(text, from_tex)}
    if writer == "ris":
        return {"rispy": lambda: _expect(len(rispy.loads(text)), count)}
    checks: dict[str, Callable[[], object]] = {"json": lambda: _expect(len(json.loads(text)), count)}
    if schema is not None:
        checks["jsonschema"] = lambda: jsonschema.validate(json.loads(text), schema)
    return checks


def _record(report: dict, checks: dict[str, Callable[[], object]], budget: float) -> None:
    """Run each check under its own CPU budget, apart from refkit's: its
    verdict goes to report["reparse"], its CPU seconds to report["reparse_cpu"]."""
    for parser, work in checks.items():
        start = _cpu()
        signal.signal(signal.SIGPROF, _over_cap)
        signal.setitimer(signal.ITIMER_PROF, budget)
        try:
            report["reparse"][parser] = _check(work)
        except _OverCap:
            report["reparse"][parser] = f"{UNFINISHED} {budget:g} CPU-s"
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        report["reparse_cpu"][parser] = round(_cpu() - start, 3)


def _bibtexparser(text: str, count: int) -> None:
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        raise ValueError(f"{len(library.failed_blocks)} blocks failed: "
                         f"{type(library.failed_blocks[0]).__name__}")
    _expect(len(library.entries), count)


def _tex_safe(text: str, from_tex: bool) -> None:
    """No verbatim field can hold TeX code, and no ^^ escape appears that the input did not write as TeX."""
    for value in _VERBATIM.findall(text):
        if _TEX_UNSAFE.search(value):
            raise ValueError(f"verbatim field holds TeX code: {value[:80]!r}")
    if "^^" in text and not from_tex:
        raise ValueError("a ^^ sequence")


def _expect(found: int, count: int) -> None:
    if count >= 0 and found != count:
        raise ValueError(f"{found} records, {count} written")


def _check(work) -> str:
    try:
        work()
        return "ok"
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001  (any failure of a parser is the finding)
        return f"{type(exc).__name__}: {str(exc)[:160]}"


def _where(exc: BaseException) -> str:
    """An exception as "Type: message @ file:line" at the deepest refkit frame."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/refkit/" in f.filename]
    place = f" @ {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {str(exc)[:160]}{place}"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _text(path: Path, limit: int | None = 2_000_000) -> str:
    """A command's output (its first `limit` characters: enough to check messages)."""
    with io.open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read(limit)


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def as_dict(outcome: Outcome) -> dict:
    return asdict(outcome)
