"""Measure the data generation, the background export and the iCal feed at one scale, without wrk.

Starts a throwaway PostgreSQL (the test harness's class), migrates, seeds the demo, times generate_load_data
(COPY) at `--petitions`, then times `benchmark_export` (each in a fresh process, so its peak RSS is the
export's) for the national administrator's petitions at 10,000 rows and at all rows, in xlsx and csv, and the
iCal feed of a user cold (200, streamed) and warm (If-None-Match: 304). Prints one JSON document.

Usage: .venv/bin/python bench/measure_exports.py --petitions 200000 [--keep-going]
"""

# ruff: noqa: S603 - every command is built from fixed arguments and paths we created.

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from run_tests import Postgres, base_env  # noqa: E402

FEED_SNIPPET = """
import json, time
from django.test import Client
from coordination.models import User
from meetings import services
from meetings.selectors import calendar_feed_meetings
user = User.objects.get(username={username!r})
token = services.calendar_feed_token_regenerate(actor=user, user=user).token
client = Client()
url = f"/meetings/calendar/{{token}}.ics"
result = {{"user": user.username, "meetings_in_window": calendar_feed_meetings(user).count()}}
times = []
for _ in range(3):
    started = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.streaming_content)
    times.append(time.perf_counter() - started)
result["cold_ms"] = round(min(times) * 1000, 1)
result["bytes"] = size
etag = response["ETag"]
times = []
for _ in range(20):
    started = time.perf_counter()
    warm = client.get(url, headers={{"if-none-match": etag}})
    times.append(time.perf_counter() - started)
assert warm.status_code == 304, warm.status_code
times.sort()
result["warm_304_p50_ms"] = round(times[len(times) // 2] * 1000, 2)
print("BENCH_JSON " + json.dumps(result))
"""


def manage(env, *args):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, stdout=subprocess.PIPE
    )
    return result.stdout, time.monotonic() - started


def bench_json(output):
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise RuntimeError(f"no BENCH_JSON in {output!r}")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rows", default="10000,0", help="export sizes (0: all the administrator sees)")
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--feed-users", default="danang.hdnd.clerk,admin")
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="phoihop-measure-")
    postgres = None
    results = {"petitions": args.petitions, "load_average_before": os.getloadavg()}
    try:
        if os.geteuid() == 0:
            os.chmod(workdir, 0o755)  # noqa: S103 - the postgres user must reach its directory inside
        postgres = Postgres(Path(workdir) / "pg")
        postgres.start()
        env = base_env(workdir)
        env.update(
            {
                "DATABASE_URL": postgres.url,
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "DEBUG": "0",
                "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
                "CELERY_TASK_ALWAYS_EAGER": "1",
                "AXES_ENABLED": "0",
                "SECURE_SSL_REDIRECT": "0",
                "SECURE_COOKIES": "0",
                "SECURE_HSTS_SECONDS": "0",
                "MEDIA_ROOT": str(Path(workdir) / "media"),
            }
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        out, seconds = manage(
            env, "generate_load_data", "--petitions", str(args.petitions), "--meetings", str(args.petitions // 10),
            "--tasks", str(args.petitions // 5), "--seed", str(args.seed),
        )  # fmt: skip
        results["generate_seconds"] = round(seconds, 1)
        results["generate_output"] = out.strip().splitlines()[-1]
        print(json.dumps({"generate": results["generate_output"], "seconds": seconds}), flush=True)
        results["exports"] = []
        for rows in [int(value) for value in args.rows.split(",")]:
            for fmt in args.formats.split(","):
                out, _seconds = manage(env, "benchmark_export", "--format", fmt, "--rows", str(rows))
                results["exports"].append(bench_json(out))
                print(json.dumps(results["exports"][-1]), flush=True)
        results["feeds"] = []
        for username in args.feed_users.split(","):
            out, _seconds = manage(env, "shell", "-c", FEED_SNIPPET.format(username=username))
            results["feeds"].append(bench_json(out))
            print(json.dumps(results["feeds"][-1]), flush=True)
        results["load_average_after"] = os.getloadavg()
        print("RESULT " + json.dumps(results), flush=True)
        return 0
    finally:
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
