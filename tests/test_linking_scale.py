"""The scale benchmark's generator and scoring, small enough for the test suite: 3 000
generated names (forms, variants, typos, look-alikes) linked by the same `cluster()`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import bench_linking  # noqa: E402


def test_score_counts_pairs():
    # truth: {0,1,2} {3}; predicted: {0,1} {2,3}
    assert bench_linking.score([[0, 1], [2, 3]], [7, 7, 7, 8]) == (0.5, 1 / 3)


def test_generated_names_link_with_full_precision():
    m = bench_linking.measure(3000)
    assert m["names"] == 3000
    assert m["precision"] == 1.0
    assert m["recall"] >= 0.95
