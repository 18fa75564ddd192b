"""The review's statistics equal the numbers counted by hand from the records of the year."""

import datetime
from datetime import date

import pytest

from charters.reviews.models import AnnualReview, ReviewKind, ReviewStatus
from charters.reviews.stats import statistics_compute
from charters.reviews.text import change_phrase, comparison_rows, vn_int
from tests.charters.review_fixtures import *  # noqa: F403
from tests.charters.review_fixtures import TODAY


@pytest.mark.smoke
def test_statistics_equal_the_hand_counted_figures(year_data):
    stats = statistics_compute(year_data, 2025, today=TODAY)

    assert stats["as_of"] == "2025-12-31"
    meetings = stats["meetings"]
    assert meetings["total"] == 7
    assert meetings["by_kind"]["council_session"] == 2
    assert meetings["by_kind"]["voter_contact_before"] == 3
    assert meetings["by_kind"]["voter_contact_after"] == 1
    assert meetings["voter_contact"] == 4
    assert meetings["by_kind"]["supervision"] == 1

    petitions = stats["petitions"]
    assert {
        key: petitions[key]
        for key in (
            "received",
            "forwarded",
            "answered",
            "answered_on_time",
            "answered_late",
            "overdue",
            "returned",
            "unsatisfactory",
        )
    } == {
        "received": 7,
        "forwarded": 6,
        "answered": 2,
        "answered_on_time": 1,
        "answered_late": 1,
        "overdue": 1,
        "returned": 1,
        "unsatisfactory": 1,
    }
    by_field = {row["field"]: row for row in petitions["by_field"]}
    assert (by_field["land"]["received"], by_field["land"]["answered"], by_field["land"]["returned"]) == (3, 2, 1)
    assert (by_field["health"]["received"], by_field["health"]["overdue"]) == (2, 1)
    assert (by_field["education"]["received"], by_field["education"]["forwarded"]) == (2, 1)

    by_agency = {row["name"]: row for row in petitions["by_agency"]}
    dept = by_agency["Sở Xây dựng thành phố Đà Nẵng"]
    assert (dept["forwarded"], dept["answered"], dept["answered_on_time"], dept["overdue"], dept["returned"]) == (
        5, 1, 1, 1, 1)  # fmt: skip
    ubnd = by_agency["UBND thành phố Đà Nẵng"]
    assert (ubnd["forwarded"], ubnd["answered"], ubnd["answered_late"]) == (1, 1, 1)

    tasks = stats["tasks"]
    assert tasks["planned"] == {
        "total": 4, "done_on_time": 1, "done_late": 1, "open": 2, "overdue": 1, "cancelled": 0}  # fmt: skip
    assert tasks["arising"]["total"] == 1  # the cancelled one is counted apart
    assert tasks["arising"]["done_on_time"] == 1
    assert tasks["arising"]["cancelled"] == 1
    by_article = {row["article_number"]: row for row in tasks["by_article"]}
    assert (by_article[1]["total"], by_article[1]["done_late"], by_article[1]["overdue"]) == (4, 1, 1)
    assert by_article[2]["done_on_time"] == 1
    assert (by_article[None]["total"], by_article[None]["cancelled"]) == (0, 1)

    documents = stats["documents"]
    assert (documents["total"], documents["on_time"], documents["late"], documents["undelivered"]) == (3, 1, 1, 1)

    headline = stats["headline"]
    assert headline["tasks_planned"] == 4
    assert headline["tasks_arising"] == 1
    assert headline["tasks_done"] == 3


def test_each_figure_is_one_query_whatever_the_number_of_rows(year_data, django_assert_max_num_queries):
    # Per computed year: the charter's scope 2 (parties, successor), meetings 1, petitions 5 (totals, by field,
    # by agency, returns by agency, the re-answer cycle), tasks 2, documents 2; the issuers 1 and the earlier
    # reviews lookup 1 once; previous years: 2 computed years × 12; supervision 4 (programmes held, reports,
    # recommendations, social criticism: supervision.selectors.supervision_figures) in each of the 3 years.
    with django_assert_max_num_queries(2 + 1 + 5 + 2 + 2 + 1 + 1 + 2 * 12 + 3 * 4):
        statistics_compute(year_data, 2025, today=TODAY)


def test_previous_years_come_from_earlier_frozen_reviews(year_data):
    AnnualReview.objects.create(
        charter=year_data,
        year=2024,
        symbol="BC-HĐND",
        place="Đà Nẵng",
        summary="Báo cáo năm 2024",
        status=ReviewStatus.APPROVED,
        stats={"headline": {"petitions_received": 5, "meetings_total": 7, "voter_contact": 0}},
    )
    stats = statistics_compute(year_data, 2025, today=TODAY)
    previous = {entry["year"]: entry for entry in stats["previous"]}
    assert previous[2024]["source"] == "review"
    assert previous[2024]["figures"]["petitions_received"] == 5
    assert previous[2023]["source"] == "computed"
    assert previous[2023]["empty"] is True

    rows = {row["key"]: row for row in comparison_rows(stats)["rows"]}
    # 2023 had no records: its column stays, every cell "—" (None), no change phrase.
    assert rows["petitions_received"]["changes"] == ["tăng 40% so với năm 2024", ""]
    assert rows["petitions_received"]["previous"] == [5, None]
    assert rows["meetings_total"]["changes"] == ["bằng năm 2024", ""]
    assert rows["voter_contact"]["changes"] == ["", ""]


def test_change_is_worded_as_a_vietnamese_report_writes_it():
    assert change_phrase(273, 252, 2018) == "tăng 8,3% so với năm 2018"
    assert change_phrase(273, 174, 2017) == "tăng 56,9% so với năm 2017"
    assert change_phrase(80, 100, 2024) == "giảm 20% so với năm 2024"
    assert change_phrase(5, 5, 2024) == "bằng năm 2024"
    assert change_phrase(5, 0, 2024) == ""
    assert vn_int(1234567) == "1.234.567"


def test_end_of_term_review_counts_the_whole_term(year_data):
    stats = statistics_compute(year_data, 2026, kind=ReviewKind.END_OF_TERM, today=date(2026, 7, 10))
    assert stats["period_start"] == "2021-07-01"
    assert stats["period_end"] == "2026-06-30"
    assert stats["meetings"]["total"] == 8  # includes the 2024 session
    assert "previous" not in stats
    assert stats["petitions"]["received"] == 8
    assert datetime.date.fromisoformat(stats["as_of"]) == date(2026, 6, 30)
