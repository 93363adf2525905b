"""Speed benchmark: check the seed PDF copy's 148 references against the
local Crossref stub behaving like Crossref's polite pool (about 0.3 s for a
single-work request, 0.8 s for a list request; 10/s single, 3/s list, 3 in
flight, enforced with 429). Prints requests made, 429s, wall time, the
floor those limits allow for the requests made, and the ratio (target
<= 1.3, zero 429s, far fewer requests than references).

    python benchmarks/bench_speed.py
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from refkit.resolving.cache import Cache  # noqa: E402
from refkit.corpus import read_corpus  # noqa: E402
from refkit.resolving.sources.crossref import CrossrefClient  # noqa: E402
from refkit.resolving.resolver import resolve  # noqa: E402
from refkit.settings import Settings  # noqa: E402
from tests.crossref_stub import CrossrefStub, load_index  # noqa: E402

LATENCY = {"single": 0.3, "list": 0.8}
RATE = {"single": 10, "list": 3}
IN_FLIGHT = 3
# dependent rounds of list requests: verify printed DOIs, search, check generated candidates
MIN_ROUNDS = 2


def floor_seconds(counts: dict[str, int]) -> float:
    """The least wall time Crossref's limits allow for these requests: each
    kind bounded by its rate and by latency over the allowed concurrency,
    and at least the dependent rounds of list requests."""
    lists = counts.get("batch", 0) + counts.get("search", 0)
    singles = counts.get("single", 0) + counts.get("agency", 0)
    list_time = max((lists - 1) / RATE["list"] + LATENCY["list"], math.ceil(lists / IN_FLIGHT) * LATENCY["list"]) \
        if lists else 0.0
    single_time = max((singles - 1) / RATE["single"] + LATENCY["single"],
                      math.ceil(singles / IN_FLIGHT) * LATENCY["single"]) if singles else 0.0
    rounds = min(MIN_ROUNDS, 1 + bool(counts.get("search"))) * LATENCY["list"] if lists else 0.0
    return max(list_time + single_time, rounds)


def main() -> None:
    corpus = read_corpus([REPO / "examples" / "ketamine-bpd-review.pdf.txt"])
    stub = CrossrefStub(load_index(), latency=dict(LATENCY)).start()
    stub.polite_limits(concurrency=IN_FLIGHT)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(crossref_url=stub.url, mailto="bench@example.org",
                                cache_path=Path(tmp) / "cache.sqlite")
            client = CrossrefClient(settings, Cache(settings.cache_path))
            started = time.perf_counter()
            resolutions = resolve(corpus.citations, client)
            wall = time.perf_counter() - started
    finally:
        stub.stop()
    counts = dict(stub.counts)
    floor = floor_seconds(counts)
    print(f"references checked:      {len(resolutions)}")
    print(f"requests made:           {stub.requests} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")
    print(f"429 answers:             {stub.throttled} (client saw {client.stats.http_429})")
    print(f"wall time:               {wall:.2f} s")
    print(f"floor for these requests: {floor:.2f} s (limits {RATE['single']}/s single, {RATE['list']}/s list, "
          f"{IN_FLIGHT} in flight; latency {LATENCY['single']} s / {LATENCY['list']} s)")
    print(f"ratio wall/floor:        {wall / floor:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
