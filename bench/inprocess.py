"""The benchmark's in-process half (run by bench/run.py with the bench's environment), one JSON on stdout.

`check [--roles a,b] [--pages c,d]`: checks the names asked for (no database), so a mistyped one stops run.py
before any work.
`pages N [--roles a,b] [--pages c,d]`: picks the users and URLs, makes session cookies for wrk, and for each
page captures the SQL it runs
(`CaptureQueriesContext`) and times each statement with EXPLAIN (ANALYZE, BUFFERS) — the database floor.
`scan`: times the daily reminder scan (`reminders_plan`, what `send_reminders --dry-run` computes).
`import`: builds .xlsx files of N rows in all and imports them through `petition_import_xlsx`, inside a
rolled-back transaction so the data set is unchanged.
"""

import datetime
import io
import json
import os
import re
import resource
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from coordination.models import User  # noqa: E402

EXECUTION = re.compile(r"Execution Time: ([0-9.]+) ms")
PLANNING = re.compile(r"Planning Time: ([0-9.]+) ms")
# The scopes measured: role -> username. `commune_clerk` is made by `bench_user_ensure` (the demo has no commune
# account): a clerk of the HĐND of the commune with the most petitions. `national` is the site administrator.
ROLES = {
    "clerk": "danang.hdnd.clerk",
    "leader": "danang.hdnd.leader",
    "commune_clerk": "bench.commune.clerk",
    "national": "admin",
}
RARE_WORD = "phà"  # in no generated petition: the search that must not walk the whole date index
COMMON_SYLLABLE = "nghi"  # in most petitions ("kiến nghị", "đề nghị")

# The pages measured, in table order: name -> (url template, request headers). The templates are filled from the
# facts `page_urls` computes ({last_page}, {petition}, {reference}, {charter}, {from}, {to}, {feed_token},
# {feed_etag}); a page whose facts are missing for a role (e.g. no charter) is measured as the URL says anyway.
# To add the public pages or the API later: append ("public_home", ("/public/", {})) and the like here; run.py
# measures every page inprocess.py returns, in this order.
PAGE_SPECS = [
    ("floor", ("/bench/floor/", {})),
    ("floor_page", ("/bench/floor-page/", {})),
    ("dashboard", ("/dashboard/", {})),
    ("dashboard_range", ("/dashboard/?from={from}&to={to}", {})),
    ("petitions", ("/petitions/", {})),
    ("petitions_filter", ("/petitions/?status=forwarded&field=land", {})),
    ("petitions_search", ("/petitions/?q=duong+xuong+cap", {})),
    ("search_common", (f"/petitions/?q={COMMON_SYLLABLE}", {})),
    ("search_rare", ("/petitions/?q=pha%CC%80", {})),
    ("search_reference", ("/petitions/?q={reference}", {})),
    ("petitions_deep", ("/petitions/?page={last_page}", {})),
    ("petition_detail", ("/petitions/{petition}/", {})),
    ("meetings", ("/meetings/", {})),
    ("calendar", ("/meetings/calendar/", {})),
    ("ical_feed", ("/meetings/calendar/{feed_token}.ics", {})),
    ("ical_feed_304", ("/meetings/calendar/{feed_token}.ics", {"If-None-Match": "{feed_etag}"})),
    ("charter_detail", ("/charters/{charter}/", {})),
    ("tasks", ("/charters/tasks/", {})),
    # The read API, with a token of the user's agency (none for the national administrator, who has no agency):
    # the first page and an incremental sync.
    ("api_petitions", ("/api/v1/petitions/", {"Authorization": "Bearer {api_token}"})),
    ("api_petitions_since", ("/api/v1/petitions/?updated_since={today}", {"Authorization": "Bearer {api_token}"})),
    # The citizens' pages (anonymous in a real browser; the session cookie changes nothing there).
    ("public_unit", ("/public/{unit_code}/", {})),
    ("public_search", ("/public/{unit_code}/?q=" + COMMON_SYLLABLE, {})),
]
# Answers other than 200 that a page is expected to give.
EXPECTED_STATUS = {"ical_feed_304": 304}


def bench_user_ensure(username):
    """The benchmark's user `username`; the commune clerk is created on first use (see ROLES)."""
    from django.db.models import Count

    from coordination.models import Agency, Membership, Role, UnitLevel
    from voters.models import Petition

    user = User.objects.filter(username=username).first()
    if user is not None or username != ROLES["commune_clerk"]:
        return user
    busiest = (
        Petition.objects.filter(unit__level=UnitLevel.COMMUNE)
        .values("unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("unit", flat=True)
        .first()
    )
    agency = Agency.objects.filter(unit_id=busiest, kind="HDND").first() if busiest else None
    if agency is None:
        return None
    user = User.objects.create_user(
        username=username, password=None, last_name="Chuyên viên HĐND xã", first_name="(bench)"
    )
    Membership.objects.create(user=user, agency=agency, role=Role.CLERK)
    return user


def _unit_of(user):
    membership = getattr(user, "membership", None)
    return membership.agency.unit if membership is not None else None


def api_token_for(user):
    """A read-API token of the user's agency (one more per run; the benchmark's database is throwaway)."""
    from coordination.api.services import api_token_create

    return api_token_create(actor=user, agency=user.membership.agency, name="benchmark")[1]


def _busiest_province_code():
    from coordination.models import AdministrativeUnit, UnitLevel

    provinces = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).order_by("id")
    return provinces.values_list("code", flat=True).first()


def page_urls(user):
    from charters.models import Charter
    from meetings import services as meeting_services
    from voters.models import Petition
    from voters.permissions import petitions_visible_to

    visible = petitions_visible_to(user)
    visible_count = visible.count()
    last_page = max(1, -(-visible_count // 50))
    petition = visible.order_by("-received_on", "-id").values_list("id", flat=True).first()
    if petition is None:
        petition = Petition.objects.order_by("-id").values_list("id", flat=True).first()
    unit = _unit_of(user)
    charters = Charter.objects.filter(status="in_force").order_by("-effective_from", "-id")
    charter = (charters.filter(unit_id=unit.pk) if unit else charters).values_list("id", flat=True).first()
    today = timezone.localdate()
    token = meeting_services.calendar_feed_token_regenerate(actor=user, user=user).token
    # The ETag a calendar app would hold: the feed's own answer to a first poll.
    etag = Client().get(f"/meetings/calendar/{token}.ics")["ETag"]
    facts = {
        "last_page": last_page,
        "petition": petition,
        "reference": Petition.reference_for(petition),
        "charter": charter,
        "from": (today - datetime.timedelta(days=200)).isoformat(),
        "to": (today - datetime.timedelta(days=20)).isoformat(),
        "feed_token": token,
        "feed_etag": etag,
        "today": today.isoformat(),
        "api_token": api_token_for(user) if unit else "",
        "unit_code": unit.code if unit else _busiest_province_code(),
    }
    urls = {}
    for name, (template, headers) in PAGE_SPECS:
        if not facts["api_token"] and "{api_token}" in str(headers):
            continue
        urls[name] = {
            "url": template.format(**facts),
            "headers": {key: value.format(**facts) for key, value in headers.items()},
            "expect": EXPECTED_STATUS.get(name, 200),
        }
    return urls, {"visible_petitions": visible_count, "deep_page": last_page}


class Recorder:
    """Records each statement with its parameters (like CaptureQueriesContext, but independent of the
    request_started signal that clears the debug query log), so it can be re-run under EXPLAIN."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append({"sql": sql, "params": params, "many": many, "time": time.perf_counter() - started})


def explain(sql, params):
    """Execution and planning time (ms) of one captured SELECT, or None for other statements."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return None
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    execution = EXECUTION.search(plan)
    planning = PLANNING.search(plan)
    return {
        "execution_ms": float(execution.group(1)) if execution else None,
        "planning_ms": float(planning.group(1)) if planning else None,
        "plan": plan,
    }


def _get(client, url, headers):
    response = client.get(url, headers=headers)
    if response.streaming:  # the feed: its queries run while the body is read
        b"".join(response.streaming_content)
    return response


def measure_page(client, spec, repeats):
    url, headers = spec["url"], spec["headers"]
    response = _get(client, url, headers)
    status = response.status_code
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        _get(client, url, headers)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        _get(client, url, headers)
        times.append((time.perf_counter() - started) * 1000)
    queries = []
    for query in recorder.queries:
        timing = None if query["many"] else explain(query["sql"], query["params"])
        entry = {"sql": query["sql"][:2000], "django_ms": round(query["time"] * 1000, 3)}
        if timing:
            entry.update(timing)
        queries.append(entry)
    explained = [entry["execution_ms"] for entry in queries if entry.get("execution_ms") is not None]
    slowest = max(queries, key=lambda entry: entry.get("execution_ms") or 0, default=None)
    return {
        "url": url,
        "headers": headers,
        "expect": spec["expect"],
        "status": status,
        "queries": len(queries),
        "sql_execution_ms": round(sum(explained), 3),
        "in_process_median_ms": round(statistics.median(times), 2),
        "slowest_query": slowest,
    }


def session_cookie(user):
    client = Client()
    client.force_login(user)
    client.get("/bench/floor/")  # the session middleware records its start on the first request
    return client.cookies[settings.SESSION_COOKIE_NAME].value


FLOOR_PAGES = ("floor", "floor_page")


def selection(argv):
    """The roles and pages named by `--roles a,b` and `--pages c,d` in `argv` (None: all), checked against
    ROLES and PAGE_SPECS; the floors are always measured (each page's ratio is to its role's floor)."""
    chosen = {"roles": None, "pages": None}
    for index, arg in enumerate(argv):
        if arg in ("--roles", "--pages") and index + 1 < len(argv):
            chosen[arg[2:]] = [name.strip() for name in argv[index + 1].split(",") if name.strip()]
    known = {"roles": list(ROLES), "pages": [name for name, _spec in PAGE_SPECS]}
    for kind, names in chosen.items():
        unknown = [name for name in names or [] if name not in known[kind]]
        if unknown:
            raise SystemExit(f"unknown {kind} {unknown}; choose among: {', '.join(known[kind])}")
    if chosen["pages"] is not None:
        chosen["pages"] = list(FLOOR_PAGES) + [name for name in chosen["pages"] if name not in FLOOR_PAGES]
    return chosen


def pages(repeats, roles=None, names=None):
    """Every page of PAGE_SPECS (or of `names`) for every role of ROLES (or of `roles`)."""
    result = {"roles": {}}
    for role, username in ROLES.items():
        if roles is not None and role not in roles:
            continue
        user = bench_user_ensure(username)
        if user is None:
            continue
        user = User.objects.select_related("membership__agency__unit").get(pk=user.pk)
        urls, facts = page_urls(user)
        if names is not None:
            urls = {name: spec for name, spec in urls.items() if name in names}
        client = Client()
        client.force_login(user)
        measured = {name: measure_page(client, spec, repeats) for name, spec in urls.items()}
        unit = _unit_of(user)
        result["roles"][role] = {
            "username": username,
            "unit": unit.name if unit else "national",
            "cookie": session_cookie(user),
            "facts": facts,
            "pages": measured,
        }
    from voters.models import Petition

    result["petitions_total"] = Petition.objects.count()
    return result


def scan(repeats):
    from coordination.reminders import reminders_plan

    today = timezone.localdate()
    times = []
    planned = 0
    for _ in range(repeats):
        started = time.perf_counter()
        planned = len(reminders_plan(today))
        times.append(time.perf_counter() - started)
    # The full scan also writes the ledger and notifications: timed once, inside a rolled-back transaction.
    from coordination.reminders import reminders_scan

    started = time.perf_counter()
    written = None
    try:
        with transaction.atomic():
            written = reminders_scan(today)
            full = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return {
        "reminders_planned": planned,
        "median_s": round(statistics.median(times), 2),
        "runs_s": times,
        "full_scan_s": round(full, 2),
        "full_scan_result": written,
    }


class Rollback(Exception):
    pass


def _xlsx(rows, start, ubnd):
    from openpyxl import Workbook

    from voters.importing import COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([header for _key, header, _required in COLUMNS])
    today = timezone.localdate()
    for index in range(start, start + rows):
        values = {
            "received_on": today,
            "source": "Tiếp xúc cử tri",
            "voter_name": f"Nguyễn Văn {index}",
            "voter_address": f"Tổ {index % 40 + 1}, phường Hải Châu",
            "voter_phone": "0905123456",
            "locality": f"Tổ dân phố {index % 40 + 1}",
            "content": f"Cử tri đề nghị sửa chữa tuyến đường kiệt {index} bị xuống cấp, ngập nước khi mưa lớn.",
            "field": "Hạ tầng, giao thông",
            "kind": "Kiến nghị",
            "competence_level": "",
            "forward_to": ubnd.name if ubnd and index % 2 == 0 else "",
        }
        sheet.append([values[key] for key, _header, _required in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "bench.xlsx"
    buffer.size = len(buffer.getvalue())
    return buffer


def import_rows(rows):
    """`rows` petitions through the import service, in files of at most the importer's MAX_ROWS (it refuses
    larger files), half of them forwarded on import; timed from the first file to the last, then rolled back."""
    from voters.importing import MAX_ROWS
    from voters.services import petition_import_xlsx

    user = User.objects.select_related("membership__agency").get(username=ROLES["clerk"])
    ubnd = user.membership.agency.unit.agencies.filter(kind="UBND").first()
    files = [_xlsx(min(MAX_ROWS, rows - start), start, ubnd) for start in range(0, rows, MAX_ROWS)]
    outcome = {"rows": rows, "files": len(files), "max_rows": MAX_ROWS, "created": 0, "errors": [], "file_seconds": []}
    started = time.perf_counter()
    try:
        with transaction.atomic():
            for upload in files:
                file_started = time.perf_counter()
                report = petition_import_xlsx(actor=user, upload=upload)
                outcome["file_seconds"].append(round(time.perf_counter() - file_started, 2))
                outcome["created"] += len(report.created)
                outcome["errors"] += report.errors[:5]
            outcome["seconds"] = round(time.perf_counter() - started, 2)
            raise Rollback
    except Rollback:
        pass
    outcome["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return outcome


def main(argv):
    command = argv[1]
    if command == "check":
        output = selection(argv[2:])
    elif command == "pages":
        chosen = selection(argv[3:])
        output = pages(int(argv[2]) if len(argv) > 2 else 5, chosen["roles"], chosen["pages"])
    elif command == "scan":
        output = scan(int(argv[2]) if len(argv) > 2 else 2)
    elif command == "import":
        output = import_rows(int(argv[2]) if len(argv) > 2 else 10_000)
    else:
        raise SystemExit(f"unknown command {command}")
    print("BENCH_JSON " + json.dumps(output, default=str))


if __name__ == "__main__":
    main(sys.argv)
