"""bench/run.py's bookkeeping: merging separate runs into one results file, keeping what is written by hand."""

import copy

import pytest

from bench import run


def _page(server_p50, server_p95=None):
    return {
        "url": "/x/",
        "queries": 7,
        "sql_execution_ms": 1.0,
        "in_process_median_ms": 2.0,
        "wrk": {"p50_ms": 3.0, "p95_ms": 4.0, "p99_ms": 5.0, "rps": 10.0, "server_p50_ms": server_p50,
                "server_p95_ms": server_p95 or server_p50},
    }  # fmt: skip


def _scale(dashboard_ms, started):
    role = {
        "username": "danang.hdnd.clerk",
        "unit": "Thành phố Đà Nẵng",
        "facts": {"visible_petitions": 770, "deep_page": 16},
        "pages": {"floor": _page(5.0), "floor_page": _page(6.0), "dashboard": _page(dashboard_ms)},
    }
    return {"roles": {"clerk": role}, "load_output": "generated", "run": {"started_at": started, "args": {}}}


def test_a_run_merged_into_older_results_makes_one_growth_table(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "BENCH", tmp_path)
    old = {
        "started_at": "2026-11-24T07:54:16+00:00",
        "args": {"output": "results", "connections": 8, "warmup": 3, "duration": 10},
        "scales": {"1000000": _scale(40.0, None), "10000": _scale(20.0, None)},
        "versions": {"python": "3.11"},
        "exports": [{"format": "xlsx", "rows": 10, "user": "admin", "seconds": 1, "rows_per_second": 10,
                     "file_mb": 0.1, "peak_rss_mb": 120}],
    }  # fmt: skip
    for data in old["scales"].values():
        data.pop("run")
    results = run.upgrade(copy.deepcopy(old))
    # The measurements taken after the pages were taken at the largest scale; every scale names its run.
    assert "exports" not in results and results["scales"]["1000000"]["extras"]["exports"][0]["rows"] == 10
    assert results["scales"]["10000"]["run"]["started_at"] == "2026-11-24T07:54:16+00:00"
    results["scales"]["1000000"] = _scale(30.0, "2026-12-07T20:00:00+00:00")  # a new 1M run replaces the old
    (tmp_path / "results.md").write_text("# old\n\n" + run.HAND_WRITTEN + "\n\n## Findings\n\nKept by hand.\n")
    run.write_results(results)
    text = (tmp_path / "results.md").read_text()
    assert text.index("## 10,000 petitions") < text.index("## 1,000,000 petitions")  # ordered by size
    assert "| clerk | dashboard | 1.50 | 1.50 |" in text  # 30 ms over 20 ms
    assert "measured 2026-12-07T20:00:00+00:00" in text
    assert text.endswith(run.HAND_WRITTEN + "\n\n## Findings\n\nKept by hand.\n") and "# old" not in text


def test_options_that_cannot_work_are_refused_before_anything_starts(capsys):
    with pytest.raises(SystemExit):
        run.parse_args(["--scale-label", "1000000"])
    with pytest.raises(SystemExit):
        run.parse_args(["--database-url", "sqlite:///x.sqlite3"])
    with pytest.raises(SystemExit):
        run.parse_args(["--extras", "scan,coffee"])
    args = run.parse_args(["--database-url", "postgres://bench:s3cret@127.0.0.1:5432/db1m", "--scale-label", "1000000"])
    assert run.run_record(args)["args"]["database_url"] == "postgres://bench:***@127.0.0.1:5432/db1m"
    defaults = run.parse_args([])
    assert (defaults.petitions, defaults.max, defaults.duration, defaults.warmup) == (10_000, 1_000_000, 10, 3)
    assert run._extras_chosen(defaults) == set(run.EXTRAS) and defaults.export_rows == "10000,0"
