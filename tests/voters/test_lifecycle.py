"""Each transition of a petition: received → classified → forwarded → answered → closed, return and
re-forward, reopening after an unsatisfactory evaluation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coordination.audit import audit_events_for
from coordination.deadlines import working_days_add
from voters import services
from voters.models import Petition, Status

from .conftest import DISPATCH

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_create_records_received_petition_with_folded_search_text(clerk, agencies):
    petition = services.petition_create(
        actor=clerk,
        received_on=datetime.date(2026, 11, 10),
        content="Cử tri đề nghị lắp đèn đường",
        locality="Xã Hòa Vang",
        voter_name="Trần Thị Bình",
    )
    assert petition.status == Status.RECEIVED
    assert petition.unit == agencies.hdnd.unit
    assert petition.originating_agency == agencies.hdnd
    assert "cu tri de nghi lap den duong" in petition.search_text
    assert "binh" not in petition.search_text  # personal data stays out of search
    event = audit_events_for(petition).get()
    assert event.action == "create"
    assert "Trần" not in str(event.changes)


def test_classify(petition, clerk):
    services.petition_classify(
        actor=clerk, petition=petition, field="land", kind="opinion", competence_level="province"
    )
    petition.refresh_from_db()
    assert (petition.status, petition.field, petition.kind, petition.competence_level) == (
        "classified",
        "land",
        "opinion",
        "province",
    )
    assert audit_events_for(petition)[0].action == "classify"


@pytest.mark.smoke
def test_forward_takes_due_date_from_deadline_engine_in_working_days(forwarded, agencies):
    assert forwarded.status == Status.FORWARDED
    assert forwarded.lead_agency == agencies.department
    assert forwarded.due_date == working_days_add(DISPATCH, 30)
    forwarding = forwarded.forwardings.get()
    assert list(forwarding.supporting_agencies.all()) == [agencies.ubnd]
    assert forwarding.dispatch_number == "125/HĐND-VP"
    assert not forwarding.due_date_set_by_hand
    assert audit_events_for(forwarded)[0].action == "forward"


def test_clerk_may_not_set_the_due_date(petition, clerk, agencies):
    with pytest.raises(PermissionDenied):
        services.petition_forward(
            actor=clerk,
            petition=petition,
            agency=agencies.department,
            dispatch_date=DISPATCH,
            due_date=datetime.date(2026, 12, 1),
        )
    petition.refresh_from_db()
    assert petition.status == Status.RECEIVED
    assert not petition.forwardings.exists()


def test_leader_sets_the_due_date_by_hand(petition, leader, agencies):
    services.petition_forward(
        actor=leader,
        petition=petition,
        agency=agencies.department,
        dispatch_date=DISPATCH,
        due_date=datetime.date(2026, 12, 1),
    )
    petition.refresh_from_db()
    assert petition.due_date == datetime.date(2026, 12, 1)
    assert petition.forwardings.get().due_date_set_by_hand


def test_cannot_forward_to_own_office(petition, clerk, agencies):
    with pytest.raises(ValidationError):
        services.petition_forward(actor=clerk, petition=petition, agency=agencies.hdnd, dispatch_date=DISPATCH)


def test_lead_agency_acknowledges_receipt(forwarded, department_clerk):
    services.petition_acknowledge(actor=department_clerk, petition=forwarded)
    forwarding = forwarded.forwardings.get()
    assert forwarding.acknowledged_at is not None
    assert forwarding.acknowledged_by == department_clerk


def test_return_then_reforward_restarts_due_date_and_keeps_history(forwarded, department_clerk, clerk, agencies):
    services.petition_return(actor=department_clerk, petition=forwarded, reason="Thuộc thẩm quyền UBND cấp xã.")
    forwarded.refresh_from_db()
    assert forwarded.status == Status.RETURNED
    assert forwarded.lead_agency is None and forwarded.due_date is None
    later = datetime.date(2026, 12, 7)
    services.petition_reforward(actor=clerk, petition=forwarded, agency=agencies.ubnd, dispatch_date=later)
    forwarded.refresh_from_db()
    assert forwarded.status == Status.FORWARDED
    assert forwarded.lead_agency == agencies.ubnd
    assert forwarded.due_date == working_days_add(later, 30)
    first, second = forwarded.forwardings.order_by("id")
    assert first.returned_at is not None and first.return_reason == "Thuộc thẩm quyền UBND cấp xã."
    assert first.due_date == working_days_add(DISPATCH, 30)
    assert second.returned_at is None and second.agency == agencies.ubnd
    assert [event.action for event in audit_events_for(forwarded)][:3] == ["reforward", "return", "forward"]


def test_return_needs_a_reason(forwarded, department_clerk):
    with pytest.raises(ValidationError):
        services.petition_return(actor=department_clerk, petition=forwarded, reason="  ")


@pytest.mark.smoke
def test_answer_by_lead_agency(answered):
    assert answered.status == Status.ANSWERED
    assert answered.answered_on == datetime.date(2026, 11, 20)
    assert answered.outcome == "resolved"
    answer = answered.answers.get()
    assert answer.document_number == "456/SXD-QLĐT"
    event = audit_events_for(answered)[0]
    assert event.action == "answer" and event.changes["on_time"] is True


def test_answer_in_progress_needs_plan_and_date(forwarded, department_clerk):
    with pytest.raises(ValidationError):
        services.petition_answer(
            actor=department_clerk,
            petition=forwarded,
            version=forwarded.version,
            text="Đang thực hiện",
            document_date=datetime.date(2026, 11, 20),
            outcome="in_progress_with_plan",
        )
    services.petition_answer(
        actor=department_clerk,
        petition=forwarded,
        version=forwarded.version,
        text="Đang thực hiện",
        document_date=datetime.date(2026, 11, 20),
        outcome="in_progress_with_plan",
        plan="Thi công trong quý II/2027",
        target_date=datetime.date(2027, 6, 30),
    )
    assert Petition.objects.get(pk=forwarded.pk).outcome == "in_progress_with_plan"


def test_only_the_lead_agency_answers(forwarded, ubnd_clerk, clerk):
    for user in (ubnd_clerk, clerk):  # a supporting agency and the forwarding office
        with pytest.raises(PermissionDenied):
            services.petition_answer(
                actor=user,
                petition=forwarded,
                version=forwarded.version,
                text="x",
                document_date=datetime.date(2026, 11, 20),
                outcome="resolved",
            )


def test_satisfactory_evaluation_closes(answered, mttq_clerk):
    services.petition_evaluate(actor=mttq_clerk, petition=answered, result="satisfactory")
    answered.refresh_from_db()
    assert answered.status == Status.CLOSED
    assert answered.evaluations.get().agency.kind == "MTTQ"


def test_unsatisfactory_evaluation_requests_a_reanswer_and_flags(answered, clerk):
    services.petition_evaluate(
        actor=clerk, petition=answered, result="unsatisfactory", comment="Trả lời chưa đúng trọng tâm."
    )
    answered.refresh_from_db()
    assert answered.status == Status.REANSWER
    assert answered.flagged_for_supervision
    assert answered.answered_on is None
    assert answered.due_date is not None
    assert audit_events_for(answered)[0].action == "reanswer"


def test_unsatisfactory_needs_a_comment(answered, clerk):
    with pytest.raises(ValidationError):
        services.petition_evaluate(actor=clerk, petition=answered, result="unsatisfactory")


def test_ubnd_may_not_evaluate(answered, ubnd_clerk):
    with pytest.raises(PermissionDenied):
        services.petition_evaluate(actor=ubnd_clerk, petition=answered, result="satisfactory")


def test_originating_office_closes_an_answered_petition(answered, clerk):
    services.petition_close(actor=clerk, petition=answered)
    answered.refresh_from_db()
    assert answered.status == Status.CLOSED


def test_overdue_and_due_soon_are_derived(forwarded, petition):
    due = forwarded.due_date
    assert list(Petition.objects.overdue(due + datetime.timedelta(days=1))) == [forwarded]
    assert not Petition.objects.overdue(due).exists()
    assert list(Petition.objects.due_soon(due - datetime.timedelta(days=3), 7)) == [forwarded]
    assert not Petition.objects.due_soon(due - datetime.timedelta(days=10), 7).exists()
    assert forwarded.is_overdue(due + datetime.timedelta(days=1))


def test_answered_petition_is_never_overdue(answered):
    assert not Petition.objects.overdue(answered.due_date + datetime.timedelta(days=30)).exists()


@pytest.mark.smoke
def test_bulk_forward_from_the_list(agencies, clerk, login, reference_data):
    from .factories import PetitionFactory

    petitions = [PetitionFactory(originating_agency=agencies.hdnd) for _ in range(3)]
    other_office = PetitionFactory(originating_agency=agencies.mttq)
    client = login(clerk)
    ids = [p.pk for p in petitions] + [other_office.pk]
    page = client.get("/petitions/forward/", {"ids": ids})
    assert page.status_code == 200
    assert [p.pk for p in page.context["petitions"]] == [p.pk for p in petitions]  # not another office's
    response = client.post(
        "/petitions/forward/",
        {
            "ids": ",".join(str(pk) for pk in ids),
            "agency": agencies.department.pk,
            "dispatch_number": "88/HĐND-VP",
            "dispatch_date": "2026-11-16",
        },
    )
    assert response.status_code == 302
    for petition in petitions:
        petition.refresh_from_db()
        assert petition.status == Status.FORWARDED
        assert petition.due_date == working_days_add(DISPATCH, 30)
    other_office.refresh_from_db()
    assert other_office.status == Status.RECEIVED
