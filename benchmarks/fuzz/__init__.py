"""The fuzzing benchmark's parts: seeds (real inputs read at run time),
mutations, grammar-based generators, and the forked, capped harness that
runs `refkit extract` and `refkit export` on each case. bench_fuzz.py runs
them and prints the figures; tests/test_fuzz_smoke.py runs a few hundred."""
