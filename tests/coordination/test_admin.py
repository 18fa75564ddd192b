"""The Django admin does not bypass the services: domain records are read-only there, reference data edits
are audited, and accounts named by the audit log are deactivated, not deleted."""

import datetime

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse

from coordination.admin_base import AuditedAdmin, ReadOnlyAdmin
from coordination.models import AdministrativeUnit, Agency, AuditEvent, DeadlineRule, User
from tests.voters.factories import PetitionFactory

pytestmark = pytest.mark.django_db

# Written only by their services (permission, version check, search text, audit entry).
DOMAIN = {
    "charters.charter",
    "charters.article",
    "charters.obligation",
    "charters.task",
    "meetings.meeting",
    "voters.petition",
    "voters.answer",
    "voters.evaluation",
    "voters.petitionimport",
    "coordination.auditevent",
}
# Edited in the admin, every change audited.
REFERENCE = {
    "coordination.user",
    "coordination.administrativeunit",
    "coordination.agency",
    "coordination.term",
    "coordination.coordinationarea",
    "coordination.deadlinerule",
    "meetings.calendarfeedtoken",
}
OURS = ("coordination", "charters", "meetings", "voters")


def _registered():
    return {
        model._meta.label_lower: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OURS
    }


def test_every_registered_model_is_read_only_or_audited():
    registered = _registered()
    assert set(registered) == DOMAIN | REFERENCE, "classify the new admin model here (domain or reference data)"
    for label, model_admin in registered.items():
        if label in DOMAIN:
            assert isinstance(model_admin, ReadOnlyAdmin), label
            for inline in model_admin.inlines:
                assert inline.has_add_permission(inline, None, None) is False, (label, inline)
                assert inline.has_change_permission(inline, None) is False, (label, inline)
                assert inline.has_delete_permission(inline, None) is False, (label, inline)
        else:
            assert isinstance(model_admin, AuditedAdmin), label


def test_a_petition_cannot_be_changed_added_or_deleted_in_the_admin(site_admin, login, agencies):
    petition = PetitionFactory(originating_agency=agencies.hdnd, content="Nội dung gốc")
    client = login(site_admin)
    change = reverse("admin:voters_petition_change", args=[petition.pk])
    audit_before = AuditEvent.objects.count()

    page = client.get(change)
    assert page.status_code == 200  # shown, view only
    assert 'name="_save"' not in page.content.decode()
    data = model_to_dict(petition) | {"content": "Sửa trong admin", "_save": "Lưu"}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    assert client.post(change, data).status_code == 403
    assert client.get(reverse("admin:voters_petition_add")).status_code == 403
    assert client.post(reverse("admin:voters_petition_delete", args=[petition.pk]), {"post": "yes"}).status_code == 403

    petition.refresh_from_db()
    assert petition.content == "Nội dung gốc"
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize("label", sorted(DOMAIN))
def test_no_domain_record_has_an_add_page(site_admin, login, label):
    app_label, model_name = label.split(".")
    assert login(site_admin).get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 403


def _form_data(obj, **changes):
    data = model_to_dict(obj) | changes
    return {key: ("" if value is None else value) for key, value in data.items()}


def test_editing_an_agency_in_the_admin_writes_an_audit_entry(site_admin, login, agencies):
    agency = agencies.department
    client = login(site_admin)

    response = client.post(
        reverse("admin:coordination_agency_change", args=[agency.pk]),
        _form_data(agency, name="Sở Xây dựng (mới)", _save="Lưu"),
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin_change", object_id=str(agency.pk))
    assert event.changes == {"name": ["Sở Xây dựng thành phố Đà Nẵng", "Sở Xây dựng (mới)"]}
    assert event.actor == site_admin and event.actor_name == site_admin.display_name
    assert event.unit_id == agency.unit_id and event.unit_name == agency.unit.name


def test_adding_and_deleting_reference_data_in_the_admin_is_audited(site_admin, login, unit):
    client = login(site_admin)
    rule = DeadlineRule.objects.create(
        code="test-rule",
        name="Thời hạn thử",
        amount=5,
        day_type="working",
        anchor="received",
        effective_from=datetime.date(2026, 1, 1),
        unit=unit,
    )

    response = client.post(reverse("admin:coordination_deadlinerule_delete", args=[rule.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not DeadlineRule.objects.filter(pk=rule.pk).exists()
    event = AuditEvent.objects.get(action="admin_delete", object_id=str(rule.pk))
    assert event.changes["code"] == "test-rule"


def test_deleting_a_user_named_by_the_audit_log_is_refused_clearly_and_rewrites_nothing(clerk, site_admin, login, unit):
    from django.db import transaction

    from coordination import services

    with transaction.atomic():
        services.user_profile_update(actor=clerk, user=clerk, position="Chuyên viên")
    before = list(AuditEvent.objects.order_by("id").values())
    client = login(site_admin)
    delete = reverse("admin:coordination_user_delete", args=[clerk.pk])

    page = client.get(delete)
    answer = client.post(delete, {"post": "yes"})
    bulk = client.post(
        reverse("admin:coordination_user_changelist"),
        {"action": "delete_selected", "_selected_action": [clerk.pk], "post": "yes"},
    )

    for response in (page, answer, bulk):
        assert response.status_code == 200
        assert "Không thể xóa người dùng" in response.content.decode()
    assert User.objects.filter(pk=clerk.pk).exists()
    assert list(AuditEvent.objects.order_by("id").values()) == before


def test_deleting_a_unit_named_by_the_audit_log_is_refused(site_admin, login, clerk, agencies, unit):
    from coordination import services

    agency = services.agency_create(actor=site_admin, unit=unit, kind="OTHER", name="Sở Thử")
    assert AuditEvent.objects.filter(unit=unit).exists()
    client = login(site_admin)

    response = client.post(reverse("admin:coordination_administrativeunit_delete", args=[unit.pk]), {"post": "yes"})

    assert response.status_code == 200
    assert "Không thể xóa" in response.content.decode()
    assert AdministrativeUnit.objects.filter(pk=unit.pk).exists()
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_accounts_are_deactivated_with_an_audit_entry(clerk, site_admin, login):
    client = login(site_admin)

    response = client.post(
        reverse("admin:coordination_user_changelist"), {"action": "deactivate", "_selected_action": [clerk.pk]}
    )

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active is False
    event = AuditEvent.objects.get(action="admin_deactivate", object_id=str(clerk.pk))
    assert event.changes == {"is_active": [True, False]}
    assert event.actor_name == site_admin.display_name


def test_the_audit_log_keeps_the_actors_name_as_it_was(clerk):
    from django.db import transaction

    from coordination import services

    with transaction.atomic():
        services.user_profile_update(actor=clerk, user=clerk, position="Chuyên viên")
    name_then = clerk.display_name
    clerk.last_name, clerk.first_name = "Trần", "Bình"
    clerk.save()

    event = AuditEvent.objects.filter(actor=clerk).latest("id")
    assert event.actor_name == name_then
    assert event.actor_display == name_then


def test_adding_an_account_in_the_admin_is_audited_without_the_password(site_admin, login):
    client = login(site_admin)

    response = client.post(
        reverse("admin:coordination_user_add"),
        {
            "username": "new_clerk",
            "password1": "mat-khau-du-dai-2026",
            "password2": "mat-khau-du-dai-2026",
            "usable_password": "true",
            "membership-TOTAL_FORMS": "0",
            "membership-INITIAL_FORMS": "0",
            "membership-MIN_NUM_FORMS": "0",
            "membership-MAX_NUM_FORMS": "1",
            "_save": "Lưu",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new_clerk")
    event = AuditEvent.objects.get(action="admin_create", object_id=str(user.pk))
    assert event.changes == {"username": [None, "new_clerk"]}
    assert "mat-khau" not in str(event.changes) and "password" not in event.changes
