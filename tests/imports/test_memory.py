"""An import's memory does not grow with the file: rows are streamed and batches let go."""

from __future__ import annotations

import tracemalloc

from tests.imports.exports import export_rows, refused_among, write_csv
from tracker.imports.batches import import_dossiers


def peak_bytes_importing(path, user) -> int:
    tracemalloc.start()
    try:
        with open(path, "rb") as stream:
            report = import_dossiers(user, stream)
        assert report.counts["refused"] == refused_among(report.rows)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_from_two_thousand_to_ten_thousand_rows(world, tmp_path):
    admin = world["users"]["admin1"]
    warm_up = write_csv(tmp_path / "warm-up.csv", export_rows(600, first=100_001))
    small = write_csv(tmp_path / "small.csv", export_rows(2_000))
    large = write_csv(tmp_path / "large.csv", export_rows(10_000, first=2_001))
    peak_bytes_importing(warm_up, admin)  # the first import fills caches (calendar, holidays, SQL)
    small_peak = peak_bytes_importing(small, admin)
    large_peak = peak_bytes_importing(large, admin)
    # Five times the rows, about the same peak: that of one batch.
    assert large_peak < small_peak * 1.25, (small_peak, large_peak)
    assert large_peak < 16 * 1024 * 1024
