"""Every handoff of a petition tells the agency that must act next: in-app (the bell) and in its next
digest, once per person per event, with a link and what is expected by when; and the re-answer cycle
after an unsatisfactory evaluation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from coordination.audit import audit_events_for
from coordination.deadlines import working_days_add
from coordination.models import Notification, ReminderLedger, Role
from coordination.reminders import digest_groups, digest_message
from tests.factories import TermFactory, member
from voters import services
from voters.models import Petition, Status

from .conftest import DISPATCH
from .factories import PetitionFactory

pytestmark = pytest.mark.django_db


def notified(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows)


@pytest.fixture
def ubnd_leader(agencies):
    return member(agencies.ubnd, Role.LEADER, username="ubnd_leader")


def test_forward_notifies_lead_and_supporting_agencies_once_each(
    petition, clerk, leader, agencies, department_clerk, department_leader, ubnd_clerk, mttq_clerk
):
    forwarding = services.petition_forward(
        actor=clerk,
        petition=petition,
        agency=agencies.department,
        supporting_agencies=[agencies.ubnd],
        dispatch_date=DISPATCH,
    )
    for user in (department_clerk, department_leader):
        (note,) = notified(user)
        assert note.kind == "handoff_forward"
        assert note.level == "handoff"
        assert note.url == reverse("voters:detail", args=[petition.pk])
        assert note.due_date == forwarding.due_date
        assert note.item_key == f"forwarding:{forwarding.pk}"
        assert f"trả lời trước {forwarding.due_date:%d/%m/%Y}" in note.title
        assert note.title.startswith(f"Chuyển đến {agencies.department.name}")
        assert petition.reference in note.title
        # The voter's personal data never travels in a notification.
        assert petition.voter_name not in note.title and petition.voter_phone not in note.title
    (support,) = notified(ubnd_clerk)
    assert support.kind == "handoff_support"
    assert "Phối hợp" in support.title
    # The forwarding office itself and uninvolved agencies hear nothing.
    assert notified(clerk) == notified(leader) == notified(mttq_clerk) == []
    # ... and the same rows wait in the ledger for each person's next digest.
    ledger = ReminderLedger.objects.filter(item_key=f"forwarding:{forwarding.pk}")
    assert sorted(ledger.values_list("recipient_id", flat=True)) == sorted(
        [department_clerk.pk, department_leader.pk, ubnd_clerk.pk]
    )
    assert all(row.sent_at is None and row.agency_id for row in ledger)


def test_notification_respects_the_email_preference(petition, clerk, agencies, department_clerk):
    department_clerk.email_reminders = False
    department_clerk.save()
    services.petition_forward(actor=clerk, petition=petition, agency=agencies.department, dispatch_date=DISPATCH)
    row = ReminderLedger.objects.get(recipient=department_clerk)
    assert row.email_wanted is False
    assert len(notified(department_clerk)) == 1  # still under the bell


def test_handoff_goes_in_the_digest_with_its_link_and_expectation(petition, clerk, agencies, department_clerk):
    services.petition_forward(actor=clerk, petition=petition, agency=agencies.department, dispatch_date=DISPATCH)
    rows = list(ReminderLedger.objects.filter(recipient=department_clerk).select_related("agency"))
    today = timezone.localdate()
    (group,) = digest_groups(rows, today)
    assert group["level"] == "handoff"
    assert group["entries"][0]["absolute_url"].endswith(reverse("voters:detail", args=[petition.pk]))
    message = digest_message(department_clerk, rows, today)
    assert "Chuyển đến" in message.body and "trả lời trước" in message.body


def test_bulk_forward_of_many_petitions_is_one_notification_per_person(
    clerk, agencies, department_clerk, department_leader, ubnd_clerk, reference_data, client
):
    petitions = PetitionFactory.create_batch(12, originating_agency=agencies.hdnd)
    forwardings = services.petition_bulk_forward(
        actor=clerk,
        petitions=petitions,
        agency=agencies.department,
        supporting_agencies=[agencies.ubnd],
        dispatch_date=DISPATCH,
        dispatch_number="77/HĐND",
    )
    for user in (department_clerk, department_leader, ubnd_clerk):
        (note,) = notified(user)
        assert note.item_kind == "petitions"
        assert "12 kiến nghị" in note.title
        assert petitions[0].reference in note.title and "(+7)" in note.title
    note = notified(department_clerk)[0]
    assert ReminderLedger.objects.filter(recipient=department_clerk).count() == 1
    # The link lists exactly the petitions of that dispatch.
    assert note.url.startswith(reverse("voters:list") + "?batch=")
    client.force_login(department_clerk)
    response = client.get(note.url)
    assert response.status_code == 200
    shown = {row["pk"] for row in response.context["rows"]}
    assert shown == {forwarding.petition_id for forwarding in forwardings}


def test_return_notifies_the_forwarding_office(forwarded, clerk, leader, department_clerk, ubnd_clerk):
    services.petition_return(actor=department_clerk, petition=forwarded, reason="Thuộc thẩm quyền của UBND.")
    for user in (clerk, leader):
        (note,) = notified(user, "handoff_return")
        assert "Thuộc thẩm quyền của UBND." in note.title
        assert note.url == reverse("voters:detail", args=[forwarded.pk])
    assert notified(department_clerk, "handoff_return") == []
    assert notified(ubnd_clerk, "handoff_return") == []


def test_reforward_notifies_the_new_lead_agency(forwarded, clerk, department_clerk, agencies, ubnd_clerk):
    services.petition_return(actor=department_clerk, petition=forwarded, reason="Không đúng thẩm quyền.")
    forwarded.refresh_from_db()
    services.petition_reforward(actor=clerk, petition=forwarded, agency=agencies.ubnd, dispatch_date=DISPATCH)
    notes = notified(ubnd_clerk, "handoff_forward")
    assert len(notes) == 1 and "Chuyển đến" in notes[0].title


def test_answer_notifies_the_office_that_forwarded_it(clerk, leader, mttq_clerk, department_clerk, answered):
    for user in (clerk, leader):
        (note,) = notified(user, "handoff_answer")
        assert "đánh giá" in note.title
        assert note.url == reverse("voters:detail", args=[answered.pk])
    assert notified(department_clerk, "handoff_answer") == []
    assert notified(mttq_clerk) == []


def test_a_second_call_for_the_same_event_adds_nothing(department_clerk, forwarded):
    from voters import handoffs

    forwarding = forwarded.forwardings.get()
    before = Notification.objects.count(), ReminderLedger.objects.count()
    handoffs.notify_forwarded(actor=None, petition=forwarded, forwarding=forwarding, supporting=[])
    assert (Notification.objects.count(), ReminderLedger.objects.count()) == before


def test_satisfactory_evaluation_notifies_the_answering_agency(answered, mttq_clerk, department_clerk):
    services.petition_evaluate(actor=mttq_clerk, petition=answered, result="satisfactory")
    (note,) = notified(department_clerk, "handoff_satisfied")
    assert "đạt yêu cầu" in note.title


def test_unsatisfactory_evaluation_requests_a_reanswer_with_a_new_due_date(
    answered, clerk, department_clerk, department_leader
):
    # The first due date, set apart from the new one whatever the day the test runs (they fell on the same day
    # once, when today + 15 working days met the fixture's own due date).
    old_due = timezone.localdate() - datetime.timedelta(days=1)
    type(answered).objects.filter(pk=answered.pk).update(due_date=old_due)
    answered.refresh_from_db()
    services.petition_evaluate(
        actor=clerk, petition=answered, result="unsatisfactory", comment="Chưa nêu rõ thời gian sửa chữa."
    )
    answered.refresh_from_db()
    today = timezone.localdate()
    new_due = working_days_add(today, 15)  # the seeded rule "petition-reanswer": 15 working days
    assert answered.status == Status.REANSWER
    assert answered.due_date == new_due != old_due
    assert answered.flagged_for_supervision
    assert answered.answered_on is None
    evaluation = answered.evaluations.get()
    assert evaluation.reanswer_due_date == new_due
    for user in (department_clerk, department_leader):
        (note,) = notified(user, "handoff_reanswer")
        assert f"trả lời lại trước {new_due:%d/%m/%Y}" in note.title
        assert "Chưa nêu rõ thời gian sửa chữa." in note.title
        assert note.due_date == new_due
    # Awaiting an answer again: counted as waiting, overdue after the new date, reminded by the watcher.
    assert answered in Petition.objects.awaiting_answer()
    assert answered.is_overdue(new_due + datetime.timedelta(days=1))
    assert not answered.is_overdue(new_due)
    assert audit_events_for(answered)[0].action == "reanswer"


def test_reanswer_on_time_keeps_every_round_in_the_history(answered, clerk, department_clerk):
    services.petition_evaluate(actor=clerk, petition=answered, result="unsatisfactory", comment="Chưa rõ.")
    answered.refresh_from_db()
    # Only the lead agency answers again; nobody may return it as wrong authority now.
    with pytest.raises(PermissionDenied):
        services.petition_return(actor=department_clerk, petition=answered, reason="x")
    services.petition_answer(
        actor=department_clerk,
        petition=answered,
        version=answered.version,
        text="Đã bố trí vốn, thi công xong trong quý I.",
        document_date=timezone.localdate(),
        outcome="resolved",
    )
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED
    first, second = answered.answers.order_by("id")
    assert not first.is_reanswer and second.is_reanswer
    assert second.due_date == answered.evaluations.get().reanswer_due_date
    assert second.document_date <= second.due_date
    actions = [event.action for event in audit_events_for(answered)]
    assert actions[:3] == ["answer", "reanswer", "answer"]
    assert actions.count("answer") == 2
    # One notification per answer: the first answer and the re-answer each told the forwarding office.
    first_note, second_note = sorted(notified(clerk, "handoff_answer"), key=lambda note: note.pk)
    assert first_note.item_key == f"answer:{first.pk}" and second_note.item_key == f"answer:{second.pk}"
    assert second_note.title.startswith("Trả lời lại")


def test_the_reanswer_reason_shows_on_the_petition_page_to_the_answering_agency(
    answered, clerk, department_clerk, client
):
    services.petition_evaluate(actor=clerk, petition=answered, result="unsatisfactory", comment="Chưa rõ lộ trình.")
    answered.refresh_from_db()
    client.force_login(department_clerk)
    page = client.get(reverse("voters:detail", args=[answered.pk])).content.decode()
    assert "Yêu cầu trả lời lại" in page
    assert "Chưa rõ lộ trình." in page
    assert answered.due_date.strftime("%d/%m/%Y") in page


def test_the_annual_review_counts_the_reanswer_cycle(answered, clerk, department_clerk, agencies):
    from charters.reviews.stats import statistics_compute
    from tests.charters import review_factories

    services.petition_evaluate(actor=clerk, petition=answered, result="unsatisfactory", comment="Chưa rõ.")
    answered.refresh_from_db()
    services.petition_answer(
        actor=department_clerk,
        petition=answered,
        version=answered.version,
        text="Trả lời bổ sung.",
        document_date=timezone.localdate(),
        outcome="resolved",
    )
    charter = review_factories.charter_in_force(agencies)
    # A review counts the petitions taken in while its charter was valid: the charter of the term the
    # petition falls in (2026–2031).
    charter.term = TermFactory(
        name="2026–2031",
        start_year=2026,
        end_year=2031,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2031, 6, 30),
    )
    charter.effective_from = datetime.date(2026, 7, 1)
    charter.save(update_fields=["term", "effective_from"])
    petitions = statistics_compute(charter, answered.received_on.year)["petitions"]
    assert petitions["answers_judged_unsatisfactory"] == 1
    assert petitions["reanswered"] == 1
    assert petitions["reanswered_on_time"] == 1


def test_an_import_forwarding_many_rows_notifies_each_agency_once(clerk, agencies, department_clerk, reference_data):
    from voters.batch import petitions_create_many

    rows = [
        {
            "received_on": DISPATCH,
            "content": f"Cử tri đề nghị nạo vét kênh thoát nước số {index}",
            "forward_to": agencies.department,
        }
        for index in range(30)
    ]
    created = petitions_create_many(actor=clerk, originating_agency=agencies.hdnd, rows=rows)
    (note,) = notified(department_clerk)
    assert "30 kiến nghị" in note.title and created[0].reference in note.title
    assert note.url.startswith(reverse("voters:list") + "?batch=")


def test_the_reminder_watcher_knows_a_reanswer_is_awaited(answered, clerk):
    from coordination.reminders import ReminderSchedule
    from voters.reminders import petition_items

    services.petition_evaluate(actor=clerk, petition=answered, result="unsatisfactory", comment="Chưa rõ.")
    answered.refresh_from_db()
    due_soon = ReminderSchedule(answered.due_date - datetime.timedelta(days=3), lead_days=[3])
    assert [item.item_key for item in petition_items(due_soon)] == [f"petition:{answered.pk}"]
    overdue = ReminderSchedule(answered.due_date + datetime.timedelta(days=1), lead_days=[3])
    assert [item.item_key for item in petition_items(overdue)] == [f"petition:{answered.pk}"]


def test_the_next_daily_scan_emails_the_handoff_in_the_digest(
    petition, clerk, agencies, department_clerk, django_capture_on_commit_callbacks
):
    from django.core import mail

    from coordination.reminders import reminders_scan

    department_clerk.email = "sxd@example.vn"
    department_clerk.save()
    services.petition_forward(actor=clerk, petition=petition, agency=agencies.department, dispatch_date=DISPATCH)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_scan(timezone.localdate() + datetime.timedelta(days=1))
    (message,) = [item for item in mail.outbox if item.to == ["sxd@example.vn"]]
    assert "Chuyển đến cơ quan anh/chị: cần trả lời" in message.body
    assert f"trả lời trước {petition.forwardings.get().due_date:%d/%m/%Y}" in message.body
    assert ReminderLedger.objects.get(recipient=department_clerk).sent_at is not None
