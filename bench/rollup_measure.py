"""The dashboard at every scope and the petition search at every scope, measured in-process:
`python bench/rollup_measure.py [repeats]` with the benchmark's environment (DATABASE_URL of a database filled
by `generate_load_data`, DJANGO_SETTINGS_MODULE=bench.settings). Markdown on stdout.

Each page: the median wall time and the median CPU time of this process (Django test client, whole view; the
database's own time is the SQL column) over `repeats` runs after one warm-up, its query count, and the sum of
EXPLAIN (ANALYZE, BUFFERS) execution times of its SELECTs with the slowest one's first scan node. Pages: the
dashboard (site administrator, a province leader, a clerk; default year and a custom range cut mid-month), the
petition list's search (commune clerk, province leader, administrator: a common syllable, a rare word, a
reference, one letter, word prefixes), the administrator's unfiltered list (HTML size, `<option>`s) and the
Django admin's petition changelist and search.
"""

import os
import resource
import statistics
import sys
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.db import connection
from django.test import Client

# search_plans sets Django and the test environment up (response.context) as it is imported, and holds the
# query recorder and the EXPLAIN reader this script shares with it.
from bench.search_plans import COMMUNE_CLERK, Recorder, explain
from coordination.models import User
from coordination.permissions import membership_of
from voters.models import Petition


def measure(client, url, repeats):
    client.get(url)
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        response = client.get(url)
    walls, cpus = [], []
    for _ in range(repeats):
        cpu, started = time.process_time(), time.perf_counter()
        client.get(url)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    plans = [
        explain(sql, params)
        for sql, params in recorder.queries
        if sql.lstrip().upper().startswith("SELECT") and "django_session" not in sql
    ]
    body = response.content.decode(errors="replace")
    slowest = max(plans, default=(0.0, ""))
    return {
        "status": response.status_code,
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "queries": len(recorder.queries),
        "sql": sum(ms for ms, _top in plans),
        "slowest": f"{slowest[0]:.1f}: {slowest[1]}",
        "kb": len(body) // 1024,
        "options": body.count("<option"),
        "context": response.context,
    }


def results_of(context):
    if not context or "page" not in context:
        return ""
    paginator = context["page"].paginator
    return f"> {paginator.count:,}" if getattr(paginator, "capped", False) else f"{paginator.count:,}"


def main(repeats, only=""):
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    users = {
        "commune clerk": User.objects.filter(username=COMMUNE_CLERK).first(),
        "danang.hdnd.clerk": User.objects.get(username="danang.hdnd.clerk"),
        "danang.hdnd.leader": User.objects.get(username="danang.hdnd.leader"),
        "admin": admin,
    }
    danang = membership_of(users["danang.hdnd.leader"]).agency.unit_id
    reference = Petition.objects.order_by("pk").values_list("pk", flat=True)[Petition.objects.count() // 2]
    print(
        f"{Petition.objects.count():,} petitions; PostgreSQL {connection.pg_version}; {repeats} runs; "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| who | URL | status | results | KB | options | queries | wall ms | CPU ms | SQL ms | slowest |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    pages = [
        ("admin", "/dashboard/"),
        ("admin", f"/dashboard/?unit={danang}"),
        ("admin", f"/dashboard/?unit={danang}&from=2026-03-05&to=2026-11-20"),
        ("danang.hdnd.leader", "/dashboard/"),
        ("danang.hdnd.leader", "/dashboard/?from=2026-03-05&to=2026-11-20"),
        ("danang.hdnd.leader", "/dashboard/?from=2025-10-17&to=2026-02-11"),
        ("danang.hdnd.clerk", "/dashboard/"),
        ("danang.hdnd.clerk", "/dashboard/?from=2026-03-05&to=2026-11-20"),
        ("commune clerk", "/dashboard/"),
        ("commune clerk", "/dashboard/?from=2026-03-05&to=2026-11-20"),
        ("admin", "/petitions/"),
        ("admin", "/admin/voters/petition/"),
        ("admin", "/admin/voters/petition/?q=nghi"),
        ("admin", "/admin/voters/petition/?q=xuon"),
        ("admin", "/admin/voters/petition/?q=ph%C3%A0"),
    ]
    searches = ["nghi", "phà", Petition.reference_for(reference), "a", "xuon", "tiep xu", "duong xuong ca"]
    for who in ("commune clerk", "danang.hdnd.leader", "admin"):
        pages.extend((who, "/petitions/?" + urlencode({"q": text})) for text in searches)
    clients = {}
    for who, url in pages:
        user = users[who]
        if user is None or only not in url:
            continue
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(user)
        row = measure(clients[who], url, repeats)
        print(
            f"| {who} | `{url}` | {row['status']} | {results_of(row['context'])} | {row['kb']} | {row['options']} | "
            f"{row['queries']} | {row['wall']:.0f} | {row['cpu']:.0f} | {row['sql']:.1f} | {row['slowest']} |",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\nPeak RSS of this process: {peak} MB; load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    # python bench/rollup_measure.py [repeats] [only the URLs containing this]
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, sys.argv[2] if len(sys.argv) > 2 else "")
