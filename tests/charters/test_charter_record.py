"""A charter as offices hold it: signers and, apart from them, the witnesses; the signing conference; the
dissemination; the areas it lists, catalogue areas and areas of its own. Entered with the charter, recorded
later on a signed charter, shown on its page, audited."""

from datetime import date

import pytest
from django.urls import reverse

from charters import services
from charters.models import Charter, CharterStatus
from coordination.models import AuditEvent, CoordinationArea
from tests.charters.test_charter_forms import form_data

pytestmark = pytest.mark.django_db


def _record_data(**overrides):
    data = {
        "conference_on": "21/09/2021",
        "conference_place": "Hội trường Tỉnh ủy",
        "conference_chair": "",
        "witnesses": "Đỗ Trọng Hưng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh\n\n"
        "Lại Thế Nguyên, Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn ĐBQH tỉnh",
        "areas": [CoordinationArea.objects.get(code=code).pk for code in ("propaganda", "people-diplomacy")],
        "own_areas": "Bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh",
        "disseminated_on": "",
        "dissemination": "",
    }
    data.update(overrides)
    return data


def test_charter_form_records_witnesses_conference_and_areas(login, clerk, agencies):
    data = {**form_data(agencies), **_record_data()}
    data["signed_on"] = "2021-09-21"
    response = login(clerk).post(reverse("charters:create"), data)
    assert response.status_code == 302
    charter = Charter.objects.get()
    assert [(w.name, w.position) for w in charter.witnesses.all()] == [
        ("Đỗ Trọng Hưng", "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh"),
        ("Lại Thế Nguyên", "Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn ĐBQH tỉnh"),
    ]
    assert charter.conference_on == date(2021, 9, 21)
    assert charter.conference_place == "Hội trường Tỉnh ủy"
    assert sorted(area.name for area in charter.areas.all()) == sorted(
        ["Tuyên truyền", "Đối ngoại Nhân dân", "Bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh"]
    )
    own = charter.areas.get(in_catalogue=False)
    # An area of its own is the charter's: not offered to other charters, offered to this charter's articles.
    assert own.name == "Bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh"
    assert own not in CoordinationArea.objects.filter(in_catalogue=True)
    event = AuditEvent.objects.get(object_id=str(charter.pk), action="create")
    assert len(event.changes["witnesses"]) == 2
    assert "Bầu Hội thẩm Nhân dân của Tòa án nhân dân tỉnh" in event.changes["areas"]
    assert event.changes["conference_on"] == "2021-09-21"


def test_conference_after_the_signing_is_refused(login, clerk, agencies):
    data = {**form_data(agencies), **_record_data(conference_on="01/10/2023")}
    response = login(clerk).post(reverse("charters:create"), data)
    assert response.status_code == 200
    assert "conference_on" in response.context["form"].errors
    assert not Charter.objects.exists()


def test_signed_charter_gets_its_dissemination_recorded_later(login, clerk, in_force_charter):
    client = login(clerk)
    url = reverse("charters:record", args=[in_force_charter.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _record_data(
            version=in_force_charter.version,
            disseminated_on="05/10/2021",
            dissemination="Quán triệt đến cán bộ, công chức của 3 cơ quan",
            own_areas="",
        ),
    )
    assert response.status_code == 302
    in_force_charter.refresh_from_db()
    assert in_force_charter.status == CharterStatus.IN_FORCE
    assert in_force_charter.disseminated_on == date(2021, 10, 5)
    assert in_force_charter.witnesses.count() == 2
    event = AuditEvent.objects.get(object_id=str(in_force_charter.pk), action="record_update")
    assert event.changes["dissemination"] == ["", "Quán triệt đến cán bộ, công chức của 3 cơ quan"]
    page = client.get(reverse("charters:detail", args=[in_force_charter.pk])).content.decode()
    assert "Lại Thế Nguyên" in page and "Quán triệt đến cán bộ, công chức của 3 cơ quan" in page
    assert "Đối ngoại Nhân dân" in page


def test_dropped_own_area_is_deleted_unless_used(clerk, draft_charter):
    services.charter_record_update(
        actor=clerk, charter=draft_charter, version=draft_charter.version, own_areas=["Công tác vận động kiều bào"]
    )
    draft_charter.refresh_from_db()
    assert CoordinationArea.objects.filter(name="Công tác vận động kiều bào", in_catalogue=False).exists()
    services.charter_record_update(actor=clerk, charter=draft_charter, version=draft_charter.version, own_areas=[])
    assert not CoordinationArea.objects.filter(name="Công tác vận động kiều bào").exists()


def test_outsider_cannot_record(login, outsider, in_force_charter):
    response = login(outsider).post(reverse("charters:record", args=[in_force_charter.pk]), _record_data())
    assert response.status_code == 404
    assert not in_force_charter.witnesses.exists()
