"""The benchmark (`make bench`): the pages at 10,000 and at 1,000,000 petitions on PostgreSQL + gunicorn + wrk.

Steps: start a throwaway PostgreSQL and Redis (the test harness's classes), migrate, seed the demo (its Đà Nẵng
HĐND clerk and leader are the benchmark's users), generate synthetic data at the first scale, measure, add the
difference up to the second scale, measure again, then time the reminder scan, the report PDF and the Excel
import. Writes bench/results.json and bench/results.md.

Per page: wrk (8 connections, after a warm-up) against gunicorn for p50/p95/p99 and requests per second; the
floor beside it: the page's SQL run directly (EXPLAIN ANALYZE execution times of the statements the page ran,
captured in-process) and a minimal authenticated Django view on the same stack (bench/urls.py).

Usage: .venv/bin/python bench/run.py [--petitions 10000] [--max 1000000] [--duration 10] [--workers 3]

On a database already loaded (e.g. a copy of the 1M database), one scale, nothing generated or dropped (it is
migrated; the benchmark adds its commune clerk, feed and API tokens, and rolls back what it times writing):
    .venv/bin/python bench/run.py --database-url postgres://…/db1m --scale-label 1000000 --merge
`--roles clerk,national` and `--pages dashboard,petitions` measure a part (the floors always); `--merge` adds the
run's scale to bench/results.json (a scale measured again is replaced) so that separate runs make one growth
table; `--extras` picks the measurements after the pages. What is written by hand in results.md below the
marker line (HAND_WRITTEN) is kept when the file is rewritten.
"""

# ruff: noqa: S603, S607 - every command is built from fixed arguments and paths we created.

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT / "scripts"))

from run_tests import Interrupted, Postgres, Redis, base_env, free_port  # noqa: E402

# The pages measured are the ones bench/inprocess.py returns (its PAGE_SPECS, in that order: add pages there);
# PAGES is the default order for reading older results.
PAGES = ["dashboard", "petitions", "petitions_filter", "petitions_search", "petitions_deep", "petition_detail",
         "meetings", "calendar", "charter_detail", "tasks"]  # fmt: skip
FLOORS = ["floor", "floor_page"]


def page_names(role_data):
    """The measured pages of one role, floors excluded, in the order inprocess.py gave them."""
    return [name for name in role_data["pages"] if name not in FLOORS] or PAGES


TARGET_P95_MS = 100
TARGET_GROWTH = 1.5
EXTRAS = ("scan", "pdf", "exports", "import")
# results.md: from this line on, the file is written by hand and kept when run.py rewrites the file.
HAND_WRITTEN = "<!-- Written by hand below this line: bench/run.py keeps it when it rewrites this file. -->"


def log(message):
    print(f"[bench] {message}", flush=True)


def manage(env, *args, capture=False):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout, time.monotonic() - started


def inprocess(env, *args):
    """Run bench/inprocess.py with `args`; its BENCH_JSON answer."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.inprocess", *args], cwd=ROOT, env=env, check=True, text=True,
        stdout=subprocess.PIPE,
    )  # fmt: skip
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise RuntimeError(f"no result from inprocess.py {args}")


class Gunicorn:
    def __init__(self, env, workers, directory):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.logfile = Path(directory) / "gunicorn.log"
        self.access_log = Path(directory) / "access.log"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "coordination.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--worker-class", "sync",
             "--timeout", "120", "--log-level", "warning", "--access-logfile", str(self.access_log),
             "--access-logformat", "BENCH %(s)s %(M)s"],
            cwd=ROOT, env=self.env, stdout=open(self.logfile, "wb"), stderr=subprocess.STDOUT,  # noqa: SIM115
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2)  # noqa: S310 - loopback
                log(f"gunicorn ready on {self.base} ({self.workers} sync workers)")
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not start; see {self.logfile}")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_of(url, cookie, headers=None):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}", **(headers or {})})  # noqa: S310
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def server_times(access_log, offset):
    """Milliseconds each request spent inside a gunicorn worker (the access log's %(M)s), from `offset` on."""
    with open(access_log, "rb") as handle:
        handle.seek(offset)
        lines = handle.read().decode(errors="replace").splitlines()
    values = sorted(
        float(parts[2])
        for line in lines
        if len(parts := line.split()) == 3 and parts[0] == "BENCH" and parts[2].replace(".", "", 1).isdigit()
    )
    if not values:
        return {}

    def percentile(share):
        return values[min(len(values) - 1, round(share * (len(values) - 1)))]

    return {"server_p50_ms": percentile(0.5), "server_p95_ms": percentile(0.95), "server_p99_ms": percentile(0.99)}


def wrk(url, cookie, duration, connections, warmup, access_log, headers=None):
    header = ["-H", f"Cookie: sessionid={cookie}"]
    for name, value in (headers or {}).items():
        header += ["-H", f"{name}: {value}"]
    if warmup > 0:
        subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{warmup}s", *header, url], check=True, stdout=subprocess.DEVNULL
        )
    time.sleep(0.5)  # let the warm-up's last requests reach the access log
    offset = access_log.stat().st_size if access_log.exists() else 0
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", str(BENCH / "latency.lua"),
         *header, url],
        check=True, text=True, stdout=subprocess.PIPE,
    )  # fmt: skip
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON ") :])
            return {
                "p50_ms": data["p50"] / 1000,
                "p95_ms": data["p95"] / 1000,
                "p99_ms": data["p99"] / 1000,
                "max_ms": data["max"] / 1000,
                "rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
                "requests": data["requests"],
                "errors": data["non2xx"] + data["socket_errors"] + data["timeouts"],
                **server_times(access_log, offset),
            }
    raise RuntimeError(f"wrk printed no result for {url}")


def measure_scale(env, server, label, args):
    log(f"{label}: in-process capture and EXPLAIN ANALYZE of every page's SQL")
    data = inprocess(env, "pages", str(args.repeats), *_selection(args))
    for role, role_data in data["roles"].items():
        for name in FLOORS + page_names(role_data):
            page = role_data["pages"][name]
            url = server.base + page["url"]
            headers = page.get("headers") or {}
            status = status_of(url, role_data["cookie"], headers)
            page["http_status"] = status
            if status != page.get("expect", 200):
                log(f"  {role} {name}: HTTP {status} — not measured with wrk")
                continue
            page["wrk"] = wrk(
                url, role_data["cookie"], args.duration, args.connections, args.warmup, server.access_log, headers
            )
            log(
                f"  {role:<6} {name:<17} p50 {page['wrk']['p50_ms']:7.1f}  p95 {page['wrk']['p95_ms']:7.1f}  "
                f"p99 {page['wrk']['p99_ms']:7.1f} ms  server p95 {page['wrk'].get('server_p95_ms', 0):7.1f} ms  "
                f"{page['wrk']['rps']:6.1f} req/s  "
                f"{page['queries']:>3} queries, SQL {page['sql_execution_ms']:.1f} ms"
            )
        role_data.pop("cookie")
    return data


def report_pdf(env):
    log("annual report PDF: bench's benchmark_report (typical and 1,000-petition appendix)")
    command = [sys.executable, "manage.py", "benchmark_report", "--runs", "2"]
    time_binary = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if time_binary:
        command = [time_binary, "-v", *command]
    result = subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=True, check=True)
    lines = [line for line in result.stdout.splitlines() if "median" in line]
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    parsed = []
    for line in lines:
        median = re.search(r"median ([0-9.]+) s", line)
        rss = re.search(r"peak RSS so far (\d+) MB", line)
        parsed.append(
            {
                "line": line.strip(),
                "median_s": float(median.group(1)) if median else None,
                "peak_rss_mb": int(rss.group(1)) if rss else None,
            }
        )
    return {"variants": parsed, "process_peak_rss_mb": round(int(peak.group(1)) / 1024) if peak else None}


def _selection(args):
    """inprocess.py's options for the roles and pages asked for (none: all of them)."""
    chosen = []
    if args.roles:
        chosen += ["--roles", args.roles]
    if args.pages:
        chosen += ["--pages", args.pages]
    return chosen


def exports(env, sizes):
    """The background export's writer at each size (0: every petition the administrator sees), xlsx and csv,
    each in a fresh process (`manage.py benchmark_export`), so its peak RSS is the export's own."""
    measured = []
    for rows in sizes:
        for fmt in ("xlsx", "csv"):
            out, _seconds = manage(env, "benchmark_export", "--format", fmt, "--rows", str(rows), capture=True)
            line = next(line for line in out.splitlines() if line.startswith("BENCH_JSON "))
            measured.append(json.loads(line[len("BENCH_JSON ") :]))
            measured[-1]["load_average"] = load_average()
            log(f"  export {fmt} {measured[-1]}")
    return measured


def extras(env, args, petitions):
    """The measurements after the pages (`--extras`): reminder scan, report PDF, exports, Excel import."""
    chosen = _extras_chosen(args)
    measured = {}
    if "scan" in chosen:
        log("daily reminder scan (reminders_plan, what send_reminders --dry-run computes)")
        measured["reminder_scan"] = inprocess(env, "scan", "2")
        measured["reminder_scan"]["petitions"] = petitions
        log(f"  {measured['reminder_scan']}")
    if "pdf" in chosen:
        measured["report_pdf"] = report_pdf(env)
        log(f"  {measured['report_pdf']}")
    if "exports" in chosen:
        sizes = [int(value) for value in args.export_rows.split(",") if value.strip()]
        log(f"exports: {', '.join(f'{size:,}' if size else 'every' for size in sizes)} rows (national), xlsx and csv")
        measured["exports"] = exports(env, sizes)
    if "import" in chosen:
        log(f"Excel import of {args.import_rows:,} rows (petition_import_xlsx, rolled back)")
        measured["import"] = inprocess(env, "import", str(args.import_rows))
        log(f"  {measured['import']}")
    return measured


def _extras_chosen(args):
    if args.skip_extras:
        return set()
    chosen = {value.strip() for value in args.extras.split(",") if value.strip()}
    unknown = chosen - set(EXTRAS)
    if unknown:
        raise SystemExit(f"--extras: unknown {sorted(unknown)}; choose among {', '.join(EXTRAS)}")
    return chosen


def versions(env):
    out, _ = manage(env, "shell", "-c",
                    "import django, sys; from django.db import connection; c = connection.cursor(); "
                    "c.execute('show server_version'); print(django.get_version()); print(c.fetchone()[0])",
                    capture=True)  # fmt: skip
    django_version, pg_version = [line for line in out.splitlines() if line.strip()][-2:]
    wrk_version = subprocess.run(["wrk", "-v"], text=True, capture_output=True, check=False).stdout.splitlines()
    return {
        "python": platform.python_version(),
        "django": django_version,
        "postgresql": pg_version,
        "wrk": wrk_version[0] if wrk_version else "",
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
    }


def load_average():
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=10_000, help="first scale (petitions)")
    parser.add_argument("--max", type=int, default=1_000_000, help="second scale (petitions); 0 = one scale only")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk warm-up per page (0: none)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5, help="in-process timings per page (median)")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-extras", action="store_true", help="skip the scan, PDF, export and import measurements")
    parser.add_argument(
        "--extras", default=",".join(EXTRAS), help=f"measurements after the pages (default: {','.join(EXTRAS)})"
    )
    parser.add_argument(
        "--export-rows", default="10000,0", help="export sizes measured (0: every petition; default 10000,0)"
    )
    parser.add_argument("--output", default="results", help="name of the result files in bench/ (NAME.md, NAME.json)")
    parser.add_argument(
        "--database-url",
        help="measure one scale on this already-loaded PostgreSQL database instead of generating one: it is migrated, "
        "nothing is generated into it and it is not dropped (--petitions and --max are ignored)",
    )
    parser.add_argument(
        "--scale-label", type=int, help="with --database-url: the scale's name (default: the petitions it holds)"
    )
    parser.add_argument("--roles", help="comma-separated roles to measure (default: every role of bench/inprocess.py)")
    parser.add_argument("--pages", help="comma-separated pages to measure (default: all; the floors always)")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="add the measured scale(s) to bench/NAME.json and NAME.md (a scale measured again is replaced) "
        "instead of starting them afresh",
    )
    args = parser.parse_args(argv)
    if args.scale_label is not None and not args.database_url:
        parser.error("--scale-label goes with --database-url")
    if args.database_url and not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url: a PostgreSQL URL (postgres://user@host:port/name)")
    _extras_chosen(args)
    return args


def _redacted(url):
    """A database URL without its password (the results are committed)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url) if url else url


def run_record(args):
    """What is kept about one run of this script beside the scales it measured."""
    arguments = vars(args).copy()
    arguments["database_url"] = _redacted(arguments.get("database_url"))
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "args": arguments,
        "load_average_before": load_average(),
    }


def results_start(args, run):
    """The results this run writes into: new, or (--merge) the ones already in bench/NAME.json."""
    path = BENCH / f"{args.output}.json"
    if args.merge and path.exists():
        results = upgrade(json.loads(path.read_text()))
        results["args"] = run["args"]
        return results
    return {
        "started_at": run["started_at"],
        "args": run["args"],
        "scales": {},
        "notes": [
            "Load generator (wrk), gunicorn, PostgreSQL and Redis all ran on the same machine and shared its CPUs; "
            "other work on the machine was not stopped, so absolute figures are noisy: compare medians and ratios.",
            "Synthetic rows come from generate_load_data (no audit events per synthetic row).",
        ],
    }


def upgrade(results):
    """Results written before runs could be merged: each scale gets its run's record, and the measurements
    taken after the pages (kept at the top then) go to the largest scale, where they were taken."""
    legacy_run = {key: results.get(key) for key in ("started_at", "finished_at", "args", "versions")}
    for data in results["scales"].values():
        data.setdefault("run", legacy_run)
    legacy = ("reminder_scan", "report_pdf", "exports", "import")
    legacy_extras = {key: results.pop(key) for key in legacy if key in results}
    if legacy_extras and results["scales"]:
        largest = max(results["scales"], key=int)
        results["scales"][largest].setdefault("extras", {}).update(legacy_extras)
    return results


def bench_env(workdir, database_url, redis_url):
    env = base_env(workdir)
    env.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "CONN_MAX_AGE": "60",
            "AXES_ENABLED": "0",
            "SESSION_COOKIE_AGE": str(6 * 3600),
            "MEDIA_ROOT": str(Path(workdir) / "media"),
        }
    )
    return env


def petitions_count(env):
    out, _ = manage(env, "shell", "-c", "from voters.models import Petition; print(Petition.objects.count())",
                    capture=True)  # fmt: skip
    return int([line for line in out.splitlines() if line.strip()][-1])


def main(argv):
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk, or run `make bench`.")

    def on_signal(signum, frame):
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    run = run_record(args)
    results = results_start(args, run)
    workdir = tempfile.mkdtemp(prefix="phoihop-bench-")
    postgres = redis = server = None
    try:
        if os.geteuid() == 0:
            os.chmod(workdir, 0o755)  # noqa: S103 - the postgres user must reach its directory inside
        if args.database_url:
            database_url = args.database_url
        else:
            postgres = Postgres(Path(workdir) / "pg")
            postgres.start()
            database_url = postgres.url
        redis_dir = Path(workdir) / "redis"
        redis_dir.mkdir()
        redis = Redis(redis_dir)
        redis.start()
        env = bench_env(workdir, database_url, redis.url)
        try:  # unknown roles or pages stop the run here, before any work
            inprocess(env, "check", *_selection(args))
        except subprocess.CalledProcessError:
            log("--roles/--pages: see the names above")
            return 2
        if args.database_url:
            log(f"migrate the existing database {_redacted(database_url)} (nothing generated, nothing dropped)")
            manage(env, "migrate", "--noinput", "-v", "0")
        else:
            log("migrate, seed_demo (units, reference data, demo users and charters)")
            manage(env, "migrate", "--noinput", "-v", "0")
            manage(env, "seed_demo")
        run["versions"] = versions(env)
        run["versions"]["gunicorn_workers"] = f"{args.workers} sync"
        results["versions"] = run["versions"]
        today = datetime.now().date().isoformat()
        if args.database_url:
            held = petitions_count(env)
            loads = [(args.scale_label or held, None)]
        else:
            scales = [args.petitions] + ([args.max] if args.max and args.max > args.petitions else [])
            loads = [(scale, previous) for scale, previous in zip(scales, [0, *scales], strict=False)]
        loaded = 0
        for scale, previous in loads:
            if previous is None:
                seconds, output = None, f"an existing database holding {held:,} petitions (not generated by this run)"
                log(f"  {output}")
            else:
                add = scale - previous
                log(f"generate_load_data: +{add:,} petitions (to {scale:,}), +{add // 10:,} meetings, "
                    f"+{add // 5:,} tasks")  # fmt: skip
                out, seconds = manage(
                    env, "generate_load_data", "--petitions", str(add), "--meetings", str(add // 10), "--tasks",
                    str(add // 5), "--seed", str(args.seed + previous), "--today", today, capture=True,
                )  # fmt: skip
                output = out.strip().splitlines()[-1] if out.strip() else ""
                log(f"  loaded in {seconds:.0f}s: {output}")
            loaded = scale
            server = Gunicorn(env, args.workers, workdir)
            server.start()
            data = measure_scale(env, server, f"{scale:,} petitions", args)
            server.stop()
            server = None
            data["load_seconds"] = round(seconds) if seconds is not None else None
            data["load_output"] = output
            data["load_average_after"] = load_average()
            data["run"] = run
            kept = (results["scales"].get(str(scale)) or {}).get("extras") if args.merge else None
            if kept:
                data["extras"] = kept  # an earlier run's, until this run measures its own
            results["scales"][str(scale)] = data
            write_results(results)
        measured = extras(env, args, loaded)
        if measured:
            for entry in measured.values():
                if isinstance(entry, dict):
                    entry["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            results["scales"][str(loaded)].setdefault("extras", {}).update(measured)
        run["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["finished_at"] = run["finished_at"]
        write_results(results)
        print((BENCH / f"{args.output}.md").read_text())
        return 0
    except (KeyboardInterrupt, Interrupted) as exc:
        log(f"interrupted ({exc.__class__.__name__}); cleaning up")
        return 1
    finally:
        if server is not None:
            server.stop()
        if redis is not None:
            redis.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def write_results(results):
    name = results["args"]["output"]
    (BENCH / f"{name}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n")
    path = BENCH / f"{name}.md"
    text = markdown(results)
    if path.exists():
        previous = path.read_text()
        if HAND_WRITTEN in previous:
            text += "\n" + HAND_WRITTEN + previous.split(HAND_WRITTEN, 1)[1]
    path.write_text(text)


def _ratio(numerator, denominator):
    return numerator / denominator if numerator is not None and denominator else None


def _fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


def _scale_order(results):
    return sorted(results["scales"], key=int)


def _run_line(run):
    """How one scale was measured: when, by which run, wrk's settings, the roles and pages chosen."""
    args = run.get("args") or {}
    parts = [f"measured {run.get('started_at')} → {run.get('finished_at') or '(unfinished)'}"]
    if args.get("database_url"):
        parts.append(f"on an existing database ({args['database_url']})")
    if args:
        parts.append(
            f"wrk {args.get('connections')} connections, {args.get('warmup')} s warm-up, {args.get('duration')} s "
            f"per page, gunicorn {args.get('workers')} workers"
        )
    if args.get("roles") or args.get("pages"):
        parts.append(f"roles {args.get('roles') or 'all'}, pages {args.get('pages') or 'all'}")
    if run.get("load_average_before"):
        parts.append(f"load average before {run['load_average_before']}")
    return "; ".join(parts) + "."


def _extras_lines(extras):
    lines = []
    if "reminder_scan" in extras:
        scan = extras["reminder_scan"]
        lines.append(
            f"- Daily reminder scan at {scan['petitions']:,} petitions: median {scan['median_s']} s "
            f"({scan['reminders_planned']:,} reminders planned; target < 10 s)."
        )
    if "report_pdf" in extras:
        for variant in extras["report_pdf"]["variants"]:
            lines.append(f"- Report PDF: {variant['line']}")
        peak = extras["report_pdf"]["process_peak_rss_mb"]
        lines.append(f"- Report PDF process peak RSS: {peak} MB (target: typical < 5 s).")
    if "import" in extras:
        imp = extras["import"]
        lines.append(
            f"- Excel import: {imp.get('created', 0):,} of {imp.get('rows', 0):,} rows in {imp.get('seconds')} s, "
            f"{imp.get('files', 1)} file(s) of at most {imp.get('max_rows', 5000):,} rows (the importer's limit), "
            "per file "
            f"{imp.get('file_seconds')} s; half forwarded on import; peak RSS {imp.get('peak_rss_mb')} MB; "
            "target < 15 s."
        )
    for export in extras.get("exports", []):
        cpu = f", CPU {export['cpu_seconds']} s" if export.get("cpu_seconds") is not None else ""
        load = f"; load average {export['load_average']}" if export.get("load_average") else ""
        lines.append(
            f"- Export {export['format']} of {export['rows']:,} rows ({export['user']}): {export['seconds']} s{cpu}, "
            f"{export['rows_per_second']:,} rows/s, {export['file_mb']} MB, peak RSS {export['peak_rss_mb']} MB "
            f"(target at 1M rows: < 120 s, < 300 MB){load}."
        )
    return lines


def markdown(results):
    lines = ["# Benchmark results", ""]
    versions_ = results.get("versions", {})
    scales = _scale_order(results)
    lines += [
        f"Written {results.get('finished_at') or results['started_at']}; scales: "
        + ", ".join(f"{int(scale):,} petitions" for scale in scales)
        + " (each scale's own run is named under its heading).",
        "",
        f"Python {versions_.get('python')}, Django {versions_.get('django')}, "
        f"PostgreSQL {versions_.get('postgresql')}, "
        f"{versions_.get('wrk', 'wrk')}; gunicorn {versions_.get('gunicorn_workers')} workers; "
        f"{versions_.get('cpu_count')} CPUs shared by the load generator, gunicorn, PostgreSQL and Redis (and, "
        "here, by other people's work on the same machine).",
        "Latencies are wrk's (client side, loopback), "
        "so they include queueing behind the 8 connections on 2 cores; server times are gunicorn's own per-request "
        "time inside a worker (access log %(M)s), the figure the 100 ms target is about.",
        "",
    ]
    lines += [f"- {note}" for note in results.get("notes", [])]
    for scale in scales:
        data = results["scales"][scale]
        lines += ["", f"## {int(scale):,} petitions", ""]
        if data.get("run"):
            lines += [f"Run: {_run_line(data['run'])}", ""]
        lines += [f"Load: {data.get('load_output', '')}", ""]
        for role, role_data in data["roles"].items():
            facts = role_data["facts"]
            floor = role_data["pages"]["floor"].get("wrk", {})
            lines += [
                f"### {role} ({role_data['username']}, {role_data['unit']}; sees {facts['visible_petitions']:,} "
                f"petitions, deep page = {facts['deep_page']})",
                "",
                "| page | client p50 | client p95 | client p99 | server p50 | server p95 | req/s | queries "
                "| SQL ms (EXPLAIN ANALYZE) | in-process ms | page/floor (server p50) | server p95 < 100 |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|",
            ]
            for name in FLOORS + page_names(role_data):
                page = role_data["pages"][name]
                measured = page.get("wrk")
                if not measured:
                    lines.append(f"| {name} | HTTP {page.get('http_status')} | | | | | | | | | | |")
                    continue
                floor_server = floor.get("server_p50_ms")
                ratio = measured.get("server_p50_ms", 0) / floor_server if floor_server else None
                server_p95 = measured.get("server_p95_ms")
                met = server_p95 is not None and server_p95 < TARGET_P95_MS
                ok = "" if name in FLOORS else ("yes" if met else "**no**")
                lines.append(
                    f"| {name} | {_fmt(measured['p50_ms'])} | {_fmt(measured['p95_ms'])} | {_fmt(measured['p99_ms'])} "
                    f"| {_fmt(measured.get('server_p50_ms'))} | {_fmt(server_p95)} "
                    f"| {_fmt(measured['rps'])} | {page['queries']} | {_fmt(page['sql_execution_ms'], 2)} "
                    f"| {_fmt(page['in_process_median_ms'])} | {_fmt(ratio)} | {ok} |"
                )
            lines.append("")
    if len(scales) >= 2:
        first, last = scales[0], scales[-1]
        lines += [f"## Growth {int(first):,} → {int(last):,} petitions (p50 and p95 ratios; target < 1.5)", ""]
        lines += [
            "| role | page | server p50 ratio | server p95 ratio | client p95 ratio | SQL ms ratio | queries |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for role, first_role in results["scales"][first]["roles"].items():
            last_role = results["scales"][last]["roles"].get(role)
            for name in page_names(first_role):
                a = first_role["pages"][name]
                b = (last_role or {}).get("pages", {}).get(name, {})
                if "wrk" not in a or "wrk" not in b:
                    continue
                sql_ratio = b["sql_execution_ms"] / a["sql_execution_ms"] if a["sql_execution_ms"] else None
                server = [_ratio(b["wrk"].get(key), a["wrk"].get(key)) for key in ("server_p50_ms", "server_p95_ms")]
                lines.append(
                    f"| {role} | {name} | {_fmt(server[0], 2)} | {_fmt(server[1], 2)} "
                    f"| {_fmt(_ratio(b['wrk']['p95_ms'], a['wrk']['p95_ms']), 2)} | {_fmt(sql_ratio, 2)} "
                    f"| {a['queries']} → {b['queries']} |"
                )
        lines.append("")
    measured_extras = [(scale, results["scales"][scale].get("extras")) for scale in scales]
    measured_extras = [(scale, extras_) for scale, extras_ in measured_extras if extras_]
    if measured_extras:
        lines += ["## Other measurements", ""]
        for scale, extras_ in measured_extras:
            lines += [f"At {int(scale):,} petitions:", "", *_extras_lines(extras_), ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
