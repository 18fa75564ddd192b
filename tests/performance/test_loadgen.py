"""generate_load_data: counts as asked, valid records, the same rows for the same seed."""

import hashlib

import pytest
from django.core.management import call_command
from django.utils import timezone

from bench.loadgen import load_data_generate
from charters.models import Task
from meetings.models import Meeting
from voters.models import Answer, Evaluation, Forwarding, Petition

pytestmark = pytest.mark.django_db

PETITION_FIELDS = [
    "id", "unit_id", "originating_agency_id", "source", "meeting_id", "received_on", "commune_id", "locality",
    "voter_name", "content", "field", "kind", "status", "lead_agency_id", "due_date", "answered_on", "outcome",
    "primary_id", "search_text", "version",
]  # fmt: skip


def _content_hash():
    digest = hashlib.sha256()
    for model, fields in (
        (Petition, PETITION_FIELDS),
        (Forwarding, ["id", "petition_id", "agency_id", "dispatch_date", "due_date", "returned_at"]),
        (Answer, ["id", "petition_id", "forwarding_id", "agency_id", "document_date", "outcome", "text"]),
        (Meeting, ["id", "title", "kind", "unit_id", "host_agency_id", "starts_at", "minutes_recorded_at"]),
        (Task, ["id", "title", "unit_id", "responsible_agency_id", "due_date", "status", "completed_on"]),
    ):
        for row in model.objects.order_by("id").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _wipe():
    for model in (Evaluation, Answer, Forwarding, Petition, Task, Meeting):
        model.objects.all().delete()


@pytest.fixture
def places(agencies, other_agency, reference_data):
    return agencies


@pytest.mark.smoke
def test_counts_are_what_was_asked(places):
    today = timezone.localdate()
    report = load_data_generate(petitions=120, meetings=20, tasks=30, seed=3, today=today)
    assert (report.petitions, report.meetings, report.tasks) == (120, 20, 30)
    assert Petition.objects.count() == 120
    assert Meeting.objects.count() == 20
    assert Task.objects.count() == 30
    assert Forwarding.objects.count() == report.forwardings
    assert Answer.objects.count() == report.answers
    assert Evaluation.objects.count() == report.evaluations


def test_the_same_seed_gives_the_same_rows(places):
    today = timezone.localdate()
    load_data_generate(petitions=80, meetings=10, tasks=10, seed=11, today=today)
    first = _content_hash()
    _wipe()
    load_data_generate(petitions=80, meetings=10, tasks=10, seed=11, today=today)
    assert _content_hash() == first
    _wipe()
    load_data_generate(petitions=80, meetings=10, tasks=10, seed=12, today=today)
    assert _content_hash() != first


def test_records_are_valid_and_consistent_with_what_the_services_write(places):
    from coordination.text import fold
    from voters.services import search_text_for

    today = timezone.localdate()
    load_data_generate(petitions=150, meetings=20, tasks=20, seed=5, today=today)
    for petition in Petition.objects.select_related("commune", "unit", "originating_agency")[:60]:
        petition.full_clean()
        assert petition.search_text == search_text_for(petition)
        assert fold("KN-") in petition.search_text
        if petition.primary_id is None and petition.status in ("forwarded", "answered", "closed"):
            current = petition.forwardings.filter(returned_at__isnull=True).get()
            assert current.agency_id == petition.lead_agency_id
            assert current.due_date == petition.due_date
        if petition.status in ("answered", "closed") and petition.primary_id is None:
            assert petition.answers.get().document_date == petition.answered_on
        if petition.status == "returned":
            assert petition.lead_agency_id is None
            assert petition.forwardings.get().returned_at is not None
        if petition.primary_id is not None:
            primary = petition.primary
            assert (petition.status, petition.lead_agency_id, petition.due_date) == (
                primary.status,
                primary.lead_agency_id,
                primary.due_date,
            )
    for model in (Forwarding, Answer, Meeting, Task):
        for obj in model.objects.all()[:30]:
            obj.full_clean()
    assert Petition.objects.filter(status="forwarded", due_date__lt=today).exists() or Petition.objects.count() < 100


def test_command_reports_what_it_made(places, capsys):
    call_command(
        "generate_load_data", "--petitions", "30", "--meetings", "5", "--tasks", "5", "--seed", "2",
        "--today", timezone.localdate().isoformat(),
    )  # fmt: skip
    assert "Generated 30 petitions" in capsys.readouterr().out
