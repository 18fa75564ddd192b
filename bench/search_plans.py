"""The petition list's search at every scope, measured in-process: `python bench/search_plans.py [repeats]`
with the benchmark's environment (DATABASE_URL of a database filled by `generate_load_data`).

For a commune clerk (made here if the data set has none: a clerk of the commune with the most petitions),
the province leader who sees the most petitions and the site administrator, and for a common syllable
("nghi"), a common phrase, a rare word, a word that is nowhere, a reference and one letter, it prints the
page's median time (Django test client, whole view), its query count, and each petition query's
EXPLAIN ANALYZE execution time with the plan's first node. Markdown on stdout.
"""

import os
import re
import statistics
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # response.context

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from coordination.models import Agency, Membership, Role, User  # noqa: E402
from voters.models import Petition  # noqa: E402
from voters.permissions import petitions_visible_to  # noqa: E402

EXECUTION = re.compile(r"Execution Time: ([0-9.]+) ms")
COMMUNE_CLERK = "bench.commune.clerk"


def commune_clerk():
    user = User.objects.filter(username=COMMUNE_CLERK).first()
    if user:
        return user
    top = (
        Petition.objects.filter(unit__level="commune")
        .values("originating_agency")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    user = User.objects.create_user(COMMUNE_CLERK, password=None)
    Membership.objects.create(user=user, agency=Agency.objects.get(pk=top["originating_agency"]), role=Role.CLERK)
    return user


def province_leader():
    leaders = User.objects.filter(membership__role=Role.LEADER, membership__agency__unit__level="province")
    return max(leaders, key=lambda user: petitions_visible_to(user).count())


def rare_word():
    """A word of the folded text found in a handful of petitions (a commune's name)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat($$SELECT to_tsvector('simple', search_text) FROM voters_petition "
            "TABLESAMPLE SYSTEM (2)$$) WHERE ndoc BETWEEN 2 AND 3 AND length(word) >= 5 "
            "AND word ~ '^[a-z]+$' ORDER BY word LIMIT 1"
        )
        row = cursor.fetchone()
    return row[0] if row else "xyzzy"


class Recorder:
    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def explain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    execution = EXECUTION.search("\n".join(plan))
    top = next((line.strip().lstrip("-> ").split("  (")[0] for line in plan if "Scan" in line), plan[0])
    return float(execution.group(1)) if execution else 0.0, top


def measure(client, url, repeats):
    client.get(url)
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        response = client.get(url)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    petition_queries = []
    for sql, params in recorder.queries:
        if sql.lstrip().upper().startswith("SELECT") and '"voters_petition"' in sql and "search_vector" in sql:
            petition_queries.append(explain(sql, params))
    return {
        "status": response.status_code,
        "median_ms": statistics.median(times),
        "queries": len(recorder.queries),
        "sql": petition_queries,
        "total": response.context["page"].paginator.count if response.context else None,
        "capped": getattr(response.context["page"].paginator, "capped", False) if response.context else None,
    }


def main(repeats):
    users = {"commune clerk": commune_clerk(), "province leader": province_leader()}
    users["national admin"] = User.objects.filter(is_superuser=True).order_by("pk").first()
    reference = Petition.objects.order_by("pk").values_list("pk", flat=True)[Petition.objects.count() // 2]
    queries = {
        "common syllable": "nghi",
        "common phrase": "tiep xuc cu tri",
        "rare word": rare_word(),
        "no such word": "xyzzyq",
        "reference": Petition.reference_for(reference),
        "one letter": "a",
    }
    print(f"{Petition.objects.count():,} petitions; PostgreSQL {connection.pg_version}; repeats {repeats}\n")
    print(
        "| scope (sees) | search | results | page median ms | queries | petition SQL (EXPLAIN ANALYZE ms: first scan) |"
    )
    print("|---|---|---:|---:|---:|---|")
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sees = petitions_visible_to(user).count()
        for label, text in queries.items():
            result = measure(client, "/petitions/?" + django.utils.http.urlencode({"q": text}), repeats)
            total = f"> {result['total']:,}" if result["capped"] else f"{result['total']:,}"
            sql = "; ".join(f"{ms:.1f}: {top}" for ms, top in result["sql"])
            print(
                f"| {role} ({sees:,}) | {label} `{text}` | {total} | {result['median_ms']:.0f} | "
                f"{result['queries']} | {sql} |"
            )


if __name__ == "__main__":
    import django.utils.http

    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
