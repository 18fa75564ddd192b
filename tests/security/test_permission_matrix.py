"""Every URL of the site, requested by every kind of user: who gets the page, a 403, a 404 or the sign-in page.

Columns (conftest.ACTORS): anonymous, owner_clerk (HĐND clerk: the HĐND takes in the petitions, hosts the
session, is party to the charters), agency_clerk (a clerk of the same unit's Đoàn ĐBQH, involved in none of
the records), unit_outsider (a clerk of another province), leader and secretariat (of the HĐND), admin.
Codes: "L" = redirect to the sign-in page, "302" = another redirect, else the HTTP status of a GET.
POST-only views answer 405 to GET; for those the matrix also POSTs as anonymous (→ sign-in) and as the
outsider (→ 404 for another unit's object, before any form is read).

A URL pattern without an entry fails `test_every_url_pattern_has_an_entry`: add new URLs here.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import ACTORS

SKIPPED_NAMESPACES = {"admin"}  # Django's admin: staff only, its own permission system.
SKIPPED_PREFIXES = ("i18n/", "static/", "media")


@dataclass(frozen=True)
class Entry:
    url: object  # world -> path
    expect: str  # one code per actor, in ACTORS order
    post_only: bool = False
    object_url: bool = True  # an object of the owning unit: the outsider gets 404

    def codes(self):
        codes = self.expect.split()
        assert len(codes) == len(ACTORS), self.expect
        return dict(zip(ACTORS, codes, strict=True))


def _programme(w):
    """The owning unit's work programme (made here, not in the shared world fixture)."""
    from charters.models import WorkProgramme

    programme, _created = WorkProgramme.objects.get_or_create(
        unit=w.task.unit,
        year=2026,
        number="01/CTr-HĐND",
        defaults={
            "issued_on": datetime.date(2026, 1, 7),
            "issuer": w.task.responsible_agency,
            "title": "Chương trình công tác năm 2026",
        },
    )
    return programme


def _r(name, *args):
    return lambda w: reverse(name, args=[arg(w) if callable(arg) else arg for arg in args])


def E(name, expect, *args, post_only=False, object_url=None, query=""):
    build = _r(name, *args)
    return Entry(
        url=(lambda w: build(w) + query) if query else build,
        expect=expect,
        post_only=post_only,
        object_url=bool(args) if object_url is None else object_url,
    )


def P(name, *args):
    """A POST-only view: every signed-in user gets 405 to a GET."""
    return E(name, "L 405 405 405 405 405 405", *args, post_only=True)


def _supervision(w):
    """The unit's supervision records, made on first use: a programme of the HĐND with a report asked of and a
    recommendation to the People's Committee, and a social criticism of the Front."""
    if not hasattr(w, "supervision"):
        from coordination.models import Agency, AgencyKind
        from tests.supervision.factories import (
            CriticismFactory,
            ProgrammeFactory,
            RecommendationFactory,
            ReportRequestFactory,
        )

        parties = {agency.kind: agency for agency in Agency.objects.filter(unit=w.session.unit).exclude(kind="OTHER")}
        hdnd, ubnd, mttq = parties[AgencyKind.HDND], parties[AgencyKind.UBND], parties[AgencyKind.MTTQ]
        programme = ProgrammeFactory(supervising_agency=hdnd, supervised_agencies=[ubnd])
        w.supervision = SimpleNamespace(
            programme=programme,
            report=ReportRequestFactory(programme=programme, agency=ubnd),
            recommendation=RecommendationFactory(programme=programme, responsible_agency=ubnd),
            criticism=CriticismFactory(agency=mttq),
        )
    return w.supervision


#             columns: anonymous owner_clerk agency_clerk unit_outsider leader secretariat admin
MATRIX = {
    # Core. Public: sign-in, health check. The sign-in page sends a signed-in user home.
    "home": E("home", "L 200 200 200 200 200 200"),
    "healthz": E("healthz", "200 200 200 200 200 200 200"),
    "healthz_ready": E("healthz_ready", "200 200 200 200 200 200 200"),
    "healthz_live": E("healthz_live", "200 200 200 200 200 200 200"),
    "login": E("login", "200 302 302 302 302 302 302"),
    "logout": E("logout", "405 405 405 405 405 405 405", post_only=True),
    "dashboard": E("dashboard", "L 200 200 200 200 200 200"),
    "dashboard_documents": E("dashboard_documents", "L 200 200 200 200 200 200"),
    "dashboard_units": E("dashboard_units", "L 200 200 200 200 200 200"),
    "password_change": E("password_change", "L 200 200 200 200 200 200"),
    "password_change_done": E("password_change_done", "L 200 200 200 200 200 200"),
    "profile": E("profile", "L 200 200 200 200 200 200"),
    "notifications": E("notifications", "L 200 200 200 200 200 200"),
    "notifications_read_all": P("notifications_read_all"),
    # A notification belongs to its recipient (the owner clerk); others' ids must not be markable.
    "notification_read": E(
        "notification_read", "L 405 405 405 405 405 405", lambda w: w.notification.pk, post_only=True
    ),
    # Charters: readable by every member of the unit; drafts edited by the parties' clerks.
    "charters:list": E("charters:list", "L 200 200 200 200 200 200"),
    "charters:create": E("charters:create", "L 200 200 200 403 403 200"),
    "charters:detail": E("charters:detail", "L 200 200 404 200 200 200", lambda w: w.charter.pk),
    "charters:edit": E("charters:edit", "L 200 403 404 403 403 200", lambda w: w.charter.pk),
    "charters:record": E("charters:record", "L 200 403 404 403 403 200", lambda w: w.in_force.pk),
    "charters:status": P("charters:status", lambda w: w.charter.pk, "sign"),
    "charters:scan_upload": P("charters:scan_upload", lambda w: w.charter.pk),
    "charters:scan": E("charters:scan", "L 200 200 404 200 200 200", lambda w: w.charter.pk),
    "charters:generate": P("charters:generate", lambda w: w.in_force.pk),
    "charters:article": E(
        "charters:article", "L 200 200 404 200 200 200", lambda w: w.charter.pk, lambda w: w.article.pk
    ),
    "charters:obligation_edit": E(
        "charters:obligation_edit", "L 200 403 404 403 403 200", lambda w: w.charter.pk, lambda w: w.obligation.pk
    ),
    # Tasks: the responsible agency's clerk and secretariat work on them.
    "charters:tasks": E("charters:tasks", "L 200 200 200 200 200 200"),
    "charters:choices": E("charters:choices", "L 200 200 200 200 200 200", "agency", object_url=False),
    "charters:task_create": E("charters:task_create", "L 200 200 200 403 200 200"),
    "charters:task": E("charters:task", "L 200 200 404 200 200 200", lambda w: w.task.pk),
    "charters:task_edit": E("charters:task_edit", "L 200 403 404 403 200 200", lambda w: w.task.pk),
    "charters:task_evidence": E("charters:task_evidence", "L 200 200 404 200 200 200", lambda w: w.task.pk),
    # Work programmes: every member of the unit reads; the unit's clerks and secretariat record and import.
    "charters:programmes": E("charters:programmes", "L 200 200 200 200 200 200"),
    "charters:programme_create": E("charters:programme_create", "L 200 200 200 403 200 200"),
    "charters:programme_import_template": E("charters:programme_import_template", "L 200 200 200 200 200 200"),
    "charters:programme": E("charters:programme", "L 200 200 404 200 200 200", lambda w: _programme(w).pk),
    "charters:programme_import": E(
        "charters:programme_import", "L 200 200 404 403 200 200", lambda w: _programme(w).pk
    ),
    # Annual reviews: party members read; the parties' secretariat drafts; other agencies of the unit 403.
    "charters:review_list": E("charters:review_list", "L 200 200 200 200 200 200"),
    "charters:review_create": E("charters:review_create", "L 403 403 404 403 200 200", lambda w: w.in_force.pk),
    "charters:review_detail": E("charters:review_detail", "L 200 403 404 200 200 200", lambda w: w.review.pk),
    "charters:review_edit": P("charters:review_edit", lambda w: w.review.pk),
    "charters:review_approve": P("charters:review_approve", lambda w: w.review.pk),
    "charters:review_return": P("charters:review_return", lambda w: w.review.pk),
    "charters:review_version": E("charters:review_version", "L 200 403 404 200 200 200", lambda w: w.review.pk, 1),
    "charters:review_report_files": E(
        "charters:review_report_files", "L 200 403 404 200 200 200", lambda w: w.review.pk
    ),
    "charters:review_report_request": P("charters:review_report_request", lambda w: w.review.pk),
    "charters:review_report_download": E(
        "charters:review_report_download",
        "L 200 403 404 200 200 200",
        lambda w: w.review.pk,
        lambda w: w.report.pk,
    ),
    "charters:review_report_download_docx": E(
        "charters:review_report_download_docx",
        "L 200 403 404 200 200 200",
        lambda w: w.review.pk,
        lambda w: w.report_docx.pk,
    ),
    "charters:review_approval_record": P("charters:review_approval_record", lambda w: w.review.pk),
    "charters:review_reopen": P("charters:review_reopen", lambda w: w.review.pk),
    "charters:review_action": P("charters:review_action", lambda w: w.review.pk, "submit"),
    # Meetings: readable by the unit; host and participating agencies' clerks and secretariat edit.
    "meetings:list": E("meetings:list", "L 200 200 200 200 200 200"),
    "meetings:choices": E("meetings:choices", "L 200 200 200 200 200 200", "agency", object_url=False),
    "meetings:calendar": E("meetings:calendar", "L 200 200 200 200 200 200"),
    "meetings:calendar_feed_settings": E("meetings:calendar_feed_settings", "L 200 200 200 200 200 200"),
    # Public by design: the secret token in the URL is the credential (calendar apps cannot sign in).
    "meetings:calendar_feed": E(
        "meetings:calendar_feed", "200 200 200 200 200 200 200", lambda w: w.feed_token, object_url=False
    ),
    "meetings:create": E("meetings:create", "L 200 200 200 403 200 200"),
    "meetings:detail": E("meetings:detail", "L 200 200 404 200 200 200", lambda w: w.session.pk),
    "meetings:edit": E("meetings:edit", "L 200 403 404 403 200 200", lambda w: w.session.pk),
    "meetings:minutes": E("meetings:minutes", "L 200 403 404 403 200 200", lambda w: w.session.pk),
    "meetings:minutes_file": E("meetings:minutes_file", "L 200 200 404 200 200 200", lambda w: w.session.pk),
    "meetings:conclusion_add": P("meetings:conclusion_add", lambda w: w.session.pk),
    "meetings:conclusion_task": P("meetings:conclusion_task", lambda w: w.session.pk, lambda w: w.conclusion.pk),
    "meetings:document_add": P("meetings:document_add", lambda w: w.session.pk),
    "meetings:document_deliver": P("meetings:document_deliver", lambda w: w.session.pk, lambda w: w.document.pk),
    # Petitions: the originating office (HĐND) acts until forwarding, then the lead agency (the department).
    # Site administrators read everything but are not an office: they do not take in petitions.
    # Supervision: read by the unit; a programme planned and run by the clerks of its supervising body (or of
    # the HĐND, whose office serves the council's committees); social criticism recorded by the Front only.
    "supervision:list": E("supervision:list", "L 200 200 200 200 200 200"),
    "supervision:choices": E("supervision:choices", "L 200 200 200 200 200 200", "agency", object_url=False),
    "supervision:create": E("supervision:create", "L 200 200 200 403 200 200"),
    "supervision:detail": E("supervision:detail", "L 200 200 404 200 200 200", lambda w: _supervision(w).programme.pk),
    "supervision:edit": E("supervision:edit", "L 200 403 404 403 200 200", lambda w: _supervision(w).programme.pk),
    "supervision:report_request": E(
        "supervision:report_request", "L 200 403 404 403 200 200", lambda w: _supervision(w).programme.pk
    ),
    "supervision:visit_create": E(
        "supervision:visit_create", "L 200 403 404 403 200 200", lambda w: _supervision(w).programme.pk
    ),
    "supervision:recommendation_create": E(
        "supervision:recommendation_create", "L 200 403 404 403 200 200", lambda w: _supervision(w).programme.pk
    ),
    "supervision:report_receive": E(
        "supervision:report_receive", "L 200 403 404 403 200 200", lambda w: _supervision(w).report.pk
    ),
    "supervision:recommendation_done": E(
        "supervision:recommendation_done", "L 200 403 404 403 200 200", lambda w: _supervision(w).recommendation.pk
    ),
    "supervision:criticism_list": E("supervision:criticism_list", "L 200 200 200 200 200 200"),
    "supervision:criticism_create": E("supervision:criticism_create", "L 403 403 403 403 403 200"),
    "supervision:criticism_edit": E(
        "supervision:criticism_edit", "L 403 403 404 403 403 200", lambda w: _supervision(w).criticism.pk
    ),
    "voters:list": E("voters:list", "L 200 200 200 200 200 200"),
    "voters:export": E("voters:export", "L 200 200 200 200 200 200", "xlsx", object_url=False),
    "voters:filter_choices": E("voters:filter_choices", "L 200 200 200 200 200 200", "agency", object_url=False),
    # A background export is its requester's alone (not even an administrator's): others get 404.
    "voters:export_job": E("voters:export_job", "L 200 404 404 404 404 404", lambda w: w.export_job.pk),
    "voters:export_job_status": E("voters:export_job_status", "L 200 404 404 404 404 404", lambda w: w.export_job.pk),
    "voters:export_job_download": E(
        "voters:export_job_download", "L 200 404 404 404 404 404", lambda w: w.export_job.pk
    ),
    "voters:create": E("voters:create", "L 200 200 200 200 403 403"),
    "voters:batch_intake": E("voters:batch_intake", "L 200 200 200 200 403 403"),
    # The receipts of what the user just recorded, taken out of their own session: an empty list for anyone else.
    "voters:intake_receipts": E("voters:intake_receipts", "L 200 200 200 200 200 200"),
    "voters:similar": E("voters:similar", "L 200 200 200 200 200 200", query="?content=duong"),
    # The intake page's web app: the service worker and manifest hold no data (fetched with no session too);
    # the offline queue's endpoint answers JSON, never a redirect: 401 without a session, 405 to a GET.
    "voters:intake_sw": E("voters:intake_sw", "200 200 200 200 200 200 200"),
    "voters:intake_manifest": E("voters:intake_manifest", "200 200 200 200 200 200 200"),
    "voters:intake_row": E("voters:intake_row", "401 405 405 405 405 405 405"),
    # Suggestions come from the user's own province model only; users with no history get an empty answer.
    "voters:suggest": E("voters:suggest", "L 200 200 200 200 200 200", query="?content=duong+ngap+nuoc"),
    "voters:import": E("voters:import", "L 200 200 200 200 403 403"),
    "voters:import_template": E("voters:import_template", "L 200 200 200 200 200 200"),
    # Answer attachments carry personal data: only the agencies handling the petition (and admins).
    "voters:attachment": E("voters:attachment", "L 200 403 404 200 200 200", lambda w: w.attachment.pk),
    "voters:detail": E("voters:detail", "L 200 200 404 200 200 200", lambda w: w.received.pk),
    "voters:classify": E("voters:classify", "L 200 403 404 200 403 403", lambda w: w.received.pk),
    "voters:forward": E("voters:forward", "L 200 403 404 200 403 403", lambda w: w.received.pk),
    # Only a returned petition is re-forwarded; `forwarded` is not returned, so nobody may.
    "voters:reforward": E("voters:reforward", "L 403 403 404 403 403 403", lambda w: w.forwarded.pk),
    "voters:acknowledge": P("voters:acknowledge", lambda w: w.forwarded.pk),
    # Returning and answering belong to the lead agency (the department), none of the columns.
    "voters:return": E("voters:return", "L 403 403 404 403 403 403", lambda w: w.forwarded.pk),
    "voters:answer": E("voters:answer", "L 403 403 404 403 403 403", lambda w: w.forwarded.pk),
    # Evaluation: HĐND and MTTQ of the unit; the Đoàn ĐBQH does not evaluate.
    "voters:evaluate": E("voters:evaluate", "L 200 403 404 200 403 403", lambda w: w.answered.pk),
    "voters:close": P("voters:close", lambda w: w.answered.pk),
    "voters:group": E("voters:group", "L 200 403 404 200 403 403", lambda w: w.received.pk),
    "voters:ungroup": P("voters:ungroup", lambda w: w.received.pk),
    # Publishing an answer: the HĐND's leader and secretariat (POST only); the receipt: the receiving office.
    "voters:publish": P("voters:publish", lambda w: w.answered.pk, "publish"),
    "voters:receipt": E("voters:receipt", "L 200 403 404 200 200 403", lambda w: w.received.pk),
    # Forwarding ticked petitions: ids the user may not forward are dropped; none left sends back to the list.
    "voters:bulk_forward": Entry(
        url=lambda w: reverse("voters:bulk_forward") + f"?ids={w.received.pk}",
        expect="L 200 302 302 200 302 302",
        object_url=False,
    ),
    # The citizens' pages: public by design, the same for everyone (tests/public/).
    "public:index": E("public:index", "200 200 200 200 200 200 200"),
    "public:lookup": E("public:lookup", "200 200 200 200 200 200 200"),
    "public:open_data": E("public:open_data", "200 200 200 200 200 200 200"),
    "public:download": E(
        "public:download", "200 200 200 200 200 200 200", lambda w: w.received.unit.code, 2026, "csv", object_url=False
    ),
    "public:unit": E("public:unit", "200 200 200 200 200 200 200", lambda w: w.received.unit.code),
    "public:figures": E("public:figures", "200 200 200 200 200 200 200", lambda w: w.received.unit.code),
    # The read API (tests/api/test_permission_matrix.py walks it for every kind of token): a browser session is
    # no credential there, so every signed-in user, like an anonymous one, gets 401; the schema and its docs
    # page are public.
    **{
        f"api:{name}": E(f"api:{name}", "401 401 401 401 401 401 401", *args, object_url=False)
        for name, args in {
            "units": (),
            "unit": (1,),
            "agencies": (),
            "agency": (1,),
            "charters": (),
            "charter": (1,),
            "meetings": (),
            "meeting": (1,),
            "petitions": (),
            "petition": (1,),
            "dashboard": (),
        }.items()
    },
    "api:schema": E("api:schema", "200 200 200 200 200 200 200"),
    "api:docs": E("api:docs", "200 200 200 200 200 200 200"),
}


def url_pattern_names():
    """Every named URL pattern of the site (namespaced), except the admin, i18n and static ones."""
    names = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES or route.startswith(SKIPPED_PREFIXES):
                    continue
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
                assert pattern.name, f"URL {route!r} has no name: name it and add it to MATRIX"
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", None)
    return names


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "L"
    return str(response.status_code)


def test_every_url_pattern_has_an_entry():
    names = url_pattern_names()
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, f"URL patterns with no entry in the permission matrix: {missing}"
    assert not stale, f"Entries for URL patterns that no longer exist: {stale}"


def app_of(name):
    return name.split(":", 1)[0] if ":" in name else "core"


APPS = sorted({app_of(name) for name in MATRIX})


# One test per app (the records are built once for all its URLs); a failure lists every wrong cell.
@pytest.mark.parametrize("app", APPS)
def test_permission_matrix(app, world, actors, client):
    mismatches = []
    for name in sorted(key for key in MATRIX if app_of(key) == app):
        entry = MATRIX[name]
        url = entry.url(world)
        for actor, expected in entry.codes().items():
            client.logout()
            if actors[actor] is not None:
                client.force_login(actors[actor])
            got = outcome(client.get(url))
            if got != expected:
                mismatches.append(f"{name} GET {url} as {actor}: expected {expected}, got {got}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("app", APPS)
def test_post_only_views_refuse_anonymous_and_other_units(app, world, actors, client):
    mismatches = []
    for name in sorted(key for key, entry in MATRIX.items() if entry.post_only and app_of(key) == app):
        entry = MATRIX[name]
        url = entry.url(world)
        client.logout()
        if name != "logout" and outcome(client.post(url)) != "L":
            mismatches.append(f"anonymous POST {url}: not sent to sign-in")
        if entry.object_url:
            client.force_login(actors["unit_outsider"])
            got = outcome(client.post(url))
            if got != "404":
                mismatches.append(f"another unit's clerk POST {url}: expected 404, got {got}")
    assert not mismatches, "\n".join(mismatches)


def test_a_notification_can_be_marked_read_only_by_its_recipient(world, actors, client):
    url = reverse("notification_read", args=[world.notification.pk])
    for actor in ("agency_clerk", "leader", "unit_outsider"):
        client.force_login(actors[actor])
        assert outcome(client.post(url)) == "404", actor
    world.notification.refresh_from_db()
    assert world.notification.read_at is None

    client.force_login(actors["owner_clerk"])
    assert client.post(url).status_code in (200, 204, 302)
    world.notification.refresh_from_db()
    assert world.notification.read_at is not None
