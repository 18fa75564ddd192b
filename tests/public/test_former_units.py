"""The 2025 reorganisation on the citizens' pages: a province or commune lists the published answers of the former
units merged into it, in one query shape whatever their number; a former unit's page leads to its successor; the
lists of names are in Vietnamese alphabetical order."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.models import AdministrativeUnit, UnitLevel
from tests.factories import CommuneFactory
from tests.public.test_pages import text_of, unit_url
from voters.models import Petition

MERGED_ON = datetime.date(2025, 7, 1)


def former(name, code, successor, *, level=UnitLevel.PROVINCE, parent=None):
    return AdministrativeUnit.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        successor=successor,
        is_active=False,
        dissolved_on=MERGED_ON,
    )


def published_in(unit, content, answer_petition, publish, **fields):
    """A published answer recorded, as the demo's history is, under `unit` (a former unit)."""
    petition = publish(answer_petition(content, **fields))
    Petition.objects.filter(pk=petition.pk).update(unit=unit)
    return petition


def page_queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return text_of(response), len(context.captured_queries)


def test_a_province_lists_the_answers_of_the_former_units_merged_into_it_in_one_query_shape(
    client, agencies, answer_petition, publish
):
    province = agencies.hdnd.unit
    quang_nam = former("Tỉnh Quảng Nam", "L-P49", province)
    published_in(quang_nam, "Kiến nghị về đường lên Trà My", answer_petition, publish)
    page, one_former = page_queries(client, unit_url(agencies))
    assert "đường lên Trà My" in page
    assert "Tỉnh Quảng Nam" in page and reverse("public:unit", args=["L-P49"]) in page

    # More former units, one of them merged twice (a district of Quảng Nam, then Quảng Nam into Đà Nẵng) and a
    # former commune of it: still the same number of queries, every answer listed.
    tam_ky = former("Thành phố Tam Kỳ", "L-D502", quang_nam, level=UnitLevel.DISTRICT, parent=quang_nam)
    an_my = former("Phường An Mỹ", "L-W20350", None, level=UnitLevel.COMMUNE, parent=tam_ky)
    hoi_an = former("Thành phố Hội An", "L-D503", province, level=UnitLevel.DISTRICT, parent=quang_nam)
    published_in(tam_ky, "Kiến nghị về chợ Tam Kỳ", answer_petition, publish)
    published_in(an_my, "Kiến nghị về cống thoát nước An Mỹ", answer_petition, publish)
    published_in(hoi_an, "Kiến nghị về phố cổ Hội An", answer_petition, publish)
    page, four_former = page_queries(client, unit_url(agencies))
    for content in ("đường lên Trà My", "chợ Tam Kỳ", "cống thoát nước An Mỹ", "phố cổ Hội An"):
        assert content in page
    assert four_former == one_former

    # The figures and the open data of the province count them too.
    figures = text_of(client.get(reverse("public:figures", args=[province.code]) + "?year=2026"))
    assert "Thành phố Tam Kỳ" in figures
    csv = text_of(client.get(reverse("public:download", args=[province.code, 2026, "csv"])))
    assert "chợ Tam Kỳ" in csv and "phố cổ Hội An" in csv


def test_a_former_units_page_leads_to_its_successor(client, agencies, answer_petition, publish):
    province = agencies.hdnd.unit
    quang_nam = former("Tỉnh Quảng Nam", "L-P49", province)
    published_in(quang_nam, "Kiến nghị về đường lên Trà My", answer_petition, publish)
    response = client.get(reverse("public:unit", args=[quang_nam.code]))
    assert response.status_code == 200
    page = text_of(response)
    assert "đã sáp nhập vào Thành phố Đà Nẵng từ ngày 01/07/2025" in page
    assert f'href="{reverse("public:unit", args=[province.code])}"' in page
    assert "đường lên Trà My" in page  # its own history stays readable at its own address
    assert client.get(reverse("public:figures", args=[quang_nam.code])).status_code == 200


def test_a_commune_lists_the_answers_raised_in_the_former_communes_merged_into_it(
    client, agencies, answer_petition, publish
):
    province = agencies.hdnd.unit
    hai_chau = CommuneFactory(parent=province, name="Phường Hải Châu", code="C20194")
    old_ward = former("Phường Thạch Thang", "L-W20200", hai_chau, level=UnitLevel.COMMUNE, parent=province)
    publish(answer_petition("Kiến nghị tại Thạch Thang cũ", commune=old_ward))
    publish(answer_petition("Kiến nghị nơi khác"))
    page = text_of(client.get(reverse("public:unit", args=[hai_chau.code])))
    assert "Thạch Thang cũ" in page and "nơi khác" not in page
    assert "Phường Thạch Thang" in page


def test_the_province_list_is_in_vietnamese_order_and_names_the_former_provinces(client, agencies):
    names = ["Tỉnh Yên Bái", "Tỉnh Đồng Tháp", "Tỉnh An Giang", "Tỉnh Điện Biên", "Tỉnh Đắk Lắk", "Tỉnh Đồng Nai"]
    names += ["Tỉnh Cao Bằng", "Tỉnh Gia Lai"]
    for index, name in enumerate(names):
        AdministrativeUnit.objects.create(code=f"X{index:02d}", name=name, level=UnitLevel.PROVINCE)
    former("Tỉnh Quảng Nam", "L-P49", agencies.hdnd.unit)
    expected = [
        "Tỉnh An Giang",
        "Tỉnh Cao Bằng",
        "Thành phố Đà Nẵng",
        "Tỉnh Đắk Lắk",
        "Tỉnh Điện Biên",
        "Tỉnh Đồng Nai",
        "Tỉnh Đồng Tháp",
        "Tỉnh Gia Lai",
        "Tỉnh Yên Bái",
    ]
    for url in (reverse("public:index"), reverse("public:open_data")):
        page = text_of(client.get(url))
        positions = [page.index(f">{name}<") for name in expected]
        assert positions == sorted(positions), url
    index = text_of(client.get(reverse("public:index")))
    assert "sáp nhập từ: Tỉnh Quảng Nam" in index


def test_a_provinces_communes_are_in_vietnamese_order(client, agencies):
    for code, name in [("C1", "Xã Yên Thế"), ("C2", "Phường Điện Bàn"), ("C3", "Phường Dĩ An"), ("C4", "Xã An Hải")]:
        CommuneFactory(parent=agencies.hdnd.unit, name=name, code=code)
    page = text_of(client.get(unit_url(agencies)))
    positions = [page.index(name) for name in ("Xã An Hải", "Phường Dĩ An", "Phường Điện Bàn", "Xã Yên Thế")]
    assert positions == sorted(positions)
