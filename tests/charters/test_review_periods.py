"""A review covers any period: Gò Vấp's sơ kết of 15/4/2018–15/4/2019 counts only that period's records and
its report (PDF, read back) names the period instead of a calendar year."""

import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from charters.models import Charter, CharterParty, CharterStatus, TaskOrigin, TaskStatus
from charters.reviews.models import AnnualReview, ReviewKind
from charters.reviews.services import report_request_sync, review_create, review_stats_refresh
from charters.reviews.stats import statistics_compute
from charters.reviews.tasks import review_report_render
from meetings.models import MeetingKind
from tests.charters import review_factories as rf
from tests.charters.review_fixtures import *  # noqa: F403
from tests.factories import TermFactory

START, END = date(2018, 4, 15), date(2019, 4, 15)
TODAY = date(2019, 5, 20)


@pytest.fixture
def go_vap_charter(agencies):
    term = TermFactory(
        name="2016–2021", start_year=2016, end_year=2021, start_date=date(2016, 7, 1), end_date=date(2021, 6, 30)
    )
    charter = Charter.objects.create(
        number="01/QCPH-HĐND-UBND-UBMTTQ",
        title="Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ban Thường trực Ủy ban MTTQ Việt Nam quận",
        unit=agencies.hdnd.unit,
        term=term,
        status=CharterStatus.IN_FORCE,
        signed_on=date(2018, 4, 15),
        effective_from=date(2018, 4, 15),
    )
    for order, kind in enumerate(("hdnd", "ubnd", "mttq")):
        CharterParty.objects.create(charter=charter, agency=getattr(agencies, kind), order=order)
    return charter


@pytest.fixture
def period_data(go_vap_charter, agencies):
    """Records on both edges of the period, and outside it."""
    charter, unit, hdnd, ubnd = go_vap_charter, go_vap_charter.unit, agencies.hdnd, agencies.ubnd
    article = rf.article(charter, 1)
    t = rf.task
    t(charter, hdnd, article=article, due=START, status=TaskStatus.DONE, completed=START)  # first day: in
    t(charter, ubnd, due=date(2018, 12, 31), status=TaskStatus.DONE, completed=date(2019, 1, 3))  # in, late
    t(charter, ubnd, due=END, origin=TaskOrigin.ARISING)  # last day: in, open, overdue by the cut-off
    t(charter, ubnd, due=date(2018, 4, 14))  # the day before: out
    t(charter, ubnd, due=date(2019, 4, 16))  # the day after: out
    rf.meeting(unit, hdnd, MeetingKind.COUNCIL_SESSION, date(2018, 7, 10))  # in
    rf.meeting(unit, hdnd, MeetingKind.COUNCIL_SESSION, date(2018, 12, 12))  # in
    rf.meeting(unit, hdnd, MeetingKind.COUNCIL_SESSION, date(2019, 7, 10))  # out
    rf.meeting(unit, hdnd, MeetingKind.VOTER_CONTACT_BEFORE, date(2018, 4, 10))  # out (before the charter too)
    rf.petition(unit, hdnd, received=date(2018, 5, 2))  # in
    rf.petition(unit, hdnd, received=date(2019, 4, 15))  # in
    rf.petition(unit, hdnd, received=date(2019, 4, 20))  # out
    return charter


def _review(charter, secretariat):
    return review_create(
        actor=secretariat,
        charter=charter,
        year=2018,
        kind=ReviewKind.PERIOD,
        period_start=START,
        period_end=END,
        today=TODAY,
    )


def test_a_review_of_a_given_period_counts_only_that_periods_records(period_data, secretariat):
    review = _review(period_data, secretariat)

    assert (review.period_start, review.period_end, review.year) == (START, END, 2018)
    stats = review.stats
    assert (stats["period_start"], stats["period_end"], stats["as_of"]) == ("2018-04-15", "2019-04-15", "2019-04-15")
    tasks = stats["tasks"]
    assert tasks["total"]["total"] == 3
    assert (tasks["planned"]["total"], tasks["arising"]["total"]) == (2, 1)
    assert (tasks["total"]["done_on_time"], tasks["total"]["done_late"]) == (1, 1)
    assert stats["meetings"]["total"] == 2
    assert stats["petitions"]["received"] == 2
    # Not a calendar year: no year-on-year columns.
    assert "previous" not in stats
    assert "từ ngày 15/04/2018 đến ngày 15/04/2019" in review.summary
    assert review.period_label == "15/04/2018 – 15/04/2019"

    # Refreshing the figures keeps the period.
    review_stats_refresh(actor=secretariat, review=review, version=review.version, today=TODAY)
    review.refresh_from_db()
    assert review.stats["tasks"]["total"]["total"] == 3
    assert review.stats["period_end"] == "2019-04-15"


def test_the_calendar_year_still_counts_the_calendar_year(period_data):
    stats = statistics_compute(period_data, 2018, today=TODAY)
    assert (stats["period_start"], stats["period_end"]) == ("2018-01-01", "2018-12-31")
    assert stats["tasks"]["total"]["total"] == 3  # 14/4 and 15/4/2018 and 31/12/2018


def test_the_report_of_the_period_renders_and_names_the_period(period_data, secretariat):
    review = _review(period_data, secretariat)
    report = report_request_sync(review=review, with_appendix=True)
    review_report_render(report.pk)
    report.refresh_from_db()
    assert report.status == "ready", report.error
    assert "20180415-20190415" in report.download_name

    reader = PdfReader(report.file.path)
    whole = " ".join(unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages)
    whole = " ".join(whole.split())
    assert "KẾT QUẢ THỰC HIỆN QUY CHẾ PHỐI HỢP TỪ NGÀY 15/04/2018 ĐẾN NGÀY 15/04/2019" in whole
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ GIẢI PHÁP THỜI GIAN TỚI" in whole
    assert "Sơ kết thực hiện Quy chế phối hợp công tác năm 2018 (từ ngày 15/04/2018 đến ngày 15/04/2019)" in whole
    assert "cử tri từ ngày 15/04/2018 đến ngày 15/04/2019" in whole  # the appendix
    assert "NĂM 2018" not in whole
    assert "NĂM 2019" not in whole


def test_a_period_review_needs_its_period_and_is_unique_per_period(period_data, secretariat):
    with pytest.raises(ValidationError):
        review_create(actor=secretariat, charter=period_data, kind=ReviewKind.PERIOD, period_start=START, today=TODAY)
    with pytest.raises(ValidationError):
        review_create(
            actor=secretariat, charter=period_data, kind=ReviewKind.MID_TERM, period_start=END, period_end=START,
            today=TODAY,
        )  # fmt: skip
    _review(period_data, secretariat)
    with pytest.raises(ValidationError):
        _review(period_data, secretariat)
    # The calendar year 2018 is another review.
    review_create(actor=secretariat, charter=period_data, year=2018, today=TODAY)
    assert AnnualReview.objects.count() == 2


def test_the_create_page_takes_a_period(client, login, period_data, secretariat):
    client = login(secretariat)
    url = reverse("charters:review_create", args=[period_data.pk])
    response = client.post(
        url, {"year": "2018", "kind": "period", "period_start": "15/04/2018", "period_end": "14/04/2018"}
    )
    assert response.status_code == 200
    assert AnnualReview.objects.count() == 0
    response = client.post(
        url, {"year": "2018", "kind": "period", "period_start": "15/04/2018", "period_end": "15/04/2019"}
    )
    assert response.status_code == 302
    review = AnnualReview.objects.get()
    assert (review.kind, review.period_start, review.period_end) == ("period", START, END)
    page = client.get(reverse("charters:review_detail", args=[review.pk])).content.decode()
    assert "15/04/2018 – 15/04/2019" in page


def test_the_migration_fills_the_period_from_the_year(period_data, secretariat):
    """reviews 0004: an annual review covers its calendar year, an end-of-term review its charter's term."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("charters.reviews.migrations.0004_review_period")
    annual = review_create(actor=secretariat, charter=period_data, year=2018, today=TODAY)
    end_of_term = review_create(actor=secretariat, charter=period_data, year=2021, kind=ReviewKind.END_OF_TERM)
    AnnualReview.objects.update(period_start=date(2000, 1, 1), period_end=date(2000, 1, 2))  # as if unset

    migration.periods_fill(apps, None)

    annual.refresh_from_db()
    end_of_term.refresh_from_db()
    assert (annual.period_start, annual.period_end) == (date(2018, 1, 1), date(2018, 12, 31))
    assert (end_of_term.period_start, end_of_term.period_end) == (date(2016, 7, 1), date(2021, 6, 30))
