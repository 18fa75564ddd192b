"""The citizens' pages as an anonymous visitor sees them: only published answers, redacted; search with or
without diacritics; filters; keyset pages; no server error from any query string; cached; rate-limited."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings

from coordination.models import AuditEvent
from coordination.text import fold
from tests.public.test_redaction import personal_content, survivors
from tests.voters.factories import PetitionFactory


def text_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def unit_url(agencies, **query):
    from urllib.parse import urlencode

    url = reverse("public:unit", args=[agencies.hdnd.unit.code])
    return url + ("?" + urlencode(query) if query else "")


def test_an_anonymous_visitor_sees_only_published_answers(client, agencies, answer_petition, publish):
    shown = publish(answer_petition("Đề nghị sửa chữa cầu Khe Cạn bị sụt lún", answer="Đã sửa xong cầu Khe Cạn."))
    answer_petition("Kiến nghị chưa công khai về chợ Hòa Khánh", answer="Trả lời nội bộ về chợ.")
    PetitionFactory(originating_agency=agencies.hdnd, content="Kiến nghị chưa trả lời về bến xe")

    response = client.get(unit_url(agencies))
    assert response.status_code == 200
    page = text_of(response)
    assert "cầu Khe Cạn bị sụt lún" in page and "Đã sửa xong cầu Khe Cạn." in page
    assert shown.reference in page
    assert "chợ Hòa Khánh" not in page and "Trả lời nội bộ" not in page and "bến xe" not in page
    assert "Sở Xây dựng thành phố Đà Nẵng" in page  # the competent agency
    assert "20/11/2026" in page and "đúng hạn" in page.lower()
    # The voter's own fields are never read by the page.
    for personal in (shown.voter_name, shown.voter_address, shown.voter_phone):
        assert personal not in page


def test_names_phones_and_ids_inside_the_texts_are_masked(client, agencies, answer_petition, publish):
    publish(
        answer_petition(
            "Cử tri Nguyễn Văn Bình (0905 123 456) đề nghị nạo vét kênh",
            answer="Đã liên hệ ông Trần Minh Quân, CCCD 048090001234, để xử lý.",
        )
    )
    page = text_of(client.get(unit_url(agencies)))
    for secret in ("Nguyễn Văn Bình", "0905 123 456", "Trần Minh Quân", "048090001234"):
        assert secret not in page
    assert "[họ tên]" in page and "[số điện thoại]" in page and "[số giấy tờ]" in page


@pytest.mark.django_db(transaction=False)
# No shrinking: every example writes petitions, and the failing example is reported as generated.
@settings(
    max_examples=20,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(content=personal_content(), answer=personal_content())
def test_no_generated_personal_data_reaches_the_public_page(
    client, agencies, answer_petition, publish, content, answer
):
    from django.core.cache import cache

    cache.clear()
    petition = publish(answer_petition(content[0], answer=answer[0]))
    search = client.get(unit_url(agencies, q=content[1]))  # searching the name finds nothing
    page = text_of(client.get(unit_url(agencies)))
    assert petition.reference in page
    assert survivors(page, *content[1:]) == []
    assert survivors(page, *answer[1:]) == []
    # Unless the name's words are also ordinary words of the public text ("Phan Ánh" and "phản ánh" fold alike).
    if fold(content[1]) not in fold(page):
        assert petition.reference not in text_of(search)
    data = text_of(client.get(reverse("public:download", args=[agencies.hdnd.unit.code, 2026, "json"])))
    assert survivors(data, *content[1:]) == [] and survivors(data, *answer[1:]) == []
    petition.delete()


def test_search_with_or_without_diacritics(client, agencies, answer_petition, publish):
    publish(answer_petition("Đề nghị lắp đèn chiếu sáng đường Nguyễn Tất Thành"))
    publish(answer_petition("Kiến nghị nạo vét sông Cu Đê"))
    for query in ("đèn chiếu sáng", "den chieu sang", "DEN CHIEU"):
        page = text_of(client.get(unit_url(agencies, q=query)))
        assert "lắp đèn chiếu sáng" in page, query
        assert "sông Cu Đê" not in page, query


def test_filters_by_field_and_period(client, agencies, answer_petition, publish):
    publish(answer_petition("Cây xanh gãy đổ", field="environment", answered_on=datetime.date(2026, 11, 20)))
    publish(answer_petition("Trường học xuống cấp", field="education", answered_on=datetime.date(2026, 11, 21)))
    page = text_of(client.get(unit_url(agencies, field="education")))
    assert "Trường học xuống cấp" in page and "Cây xanh" not in page
    page = text_of(client.get(unit_url(agencies, year=2025)))
    assert "Trường học" not in page and "Cây xanh" not in page
    page = text_of(client.get(unit_url(agencies, year=2026, quarter=4)))
    assert "Trường học" in page and "Cây xanh" in page


def test_pages_follow_the_newest_answer_first(client, agencies, answer_petition, publish, monkeypatch):
    from coordination.public import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for day in range(10, 15):
        publish(answer_petition(f"Kiến nghị ngày {day}", answered_on=datetime.date(2026, 11, day)))
    first = client.get(unit_url(agencies))
    page = text_of(first)
    assert "Kiến nghị ngày 14" in page and "Kiến nghị ngày 13" in page and "ngày 12" not in page
    assert "5 kiến nghị đã được trả lời" in page
    next_url = first.context["next_url"]
    second = text_of(client.get(unit_url(agencies) + next_url))
    assert "Kiến nghị ngày 12" in second and "Kiến nghị ngày 11" in second and "ngày 14" not in second


@pytest.mark.parametrize(
    "query",
    [
        "?q=%00",
        "?q=" + "x" * 5000,
        "?field=%27%3B--",
        "?meeting=99999999999999999999",
        "?meeting=-1",
        "?year=0",
        "?year=9999&quarter=7",
        "?after=2026-02-31.5",
        "?after=9999-99-99.99999999999999",
        "?after=%00",
        "?q[]=a&q=b",
        "?page=abc",
    ],
)
def test_hostile_query_strings_answer_without_a_server_error(client, agencies, query):
    for name in ("public:unit", "public:figures"):
        response = client.get(reverse(name, args=[agencies.hdnd.unit.code]) + query)
        assert response.status_code == 200, (name, query)
    assert client.get(reverse("public:open_data") + query).status_code == 200
    assert client.get(reverse("public:unit", args=["%00"])).status_code == 404
    assert client.get(reverse("public:unit", args=["no-such-unit"])).status_code == 404
    assert client.get(reverse("public:download", args=[agencies.hdnd.unit.code, 1900, "csv"])).status_code == 404
    assert client.get(reverse("public:download", args=[agencies.hdnd.unit.code, 2026, "xml"])).status_code == 404


def test_figures_count_received_answered_and_on_time_by_field(client, agencies, answer_petition, publish):
    answer_petition("Cây xanh", field="environment", answered_on=datetime.date(2026, 11, 20))
    PetitionFactory(originating_agency=agencies.hdnd, field="environment", content="Rác thải")
    response = client.get(reverse("public:figures", args=[agencies.hdnd.unit.code]) + "?year=2026")
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["field_rows"]}
    environment = rows["Môi trường"]
    assert (environment["received"], environment["answered"], environment["on_time"]) == (2, 1, 1)
    page = text_of(response)
    assert 'id="public-chart"' in page and "public-figures" in page  # the chart and the table behind it


def test_open_data_csv_has_a_bom_and_json_the_same_records(client, agencies, answer_petition, publish):
    publish(answer_petition("Đề nghị mở rộng đường Âu Cơ", answer="Đã đưa vào kế hoạch 2027."))
    answer_petition("Không công khai")
    code = agencies.hdnd.unit.code
    csv_response = client.get(reverse("public:download", args=[code, 2026, "csv"]))
    assert csv_response.status_code == 200 and csv_response.streaming
    body = b"".join(csv_response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffreference,province,")
    assert "mở rộng đường Âu Cơ" in body and "Không công khai" not in body
    json_response = client.get(reverse("public:download", args=[code, 2026, "json"]))
    import json

    data = json.loads(b"".join(json_response.streaming_content))
    assert data["year"] == 2026 and len(data["records"]) == 1
    assert data["records"][0]["answer"] == "Đã đưa vào kế hoạch 2027." and data["records"][0]["on_time"] is True
    assert client.get(reverse("public:download", args=[code, 2025, "json"])).status_code == 200
    dictionary = text_of(client.get(reverse("public:open_data")))
    assert "answer_document_number" in dictionary and "Từ điển dữ liệu" in dictionary


def test_pages_are_cached_per_address_and_language(client, agencies, answer_petition, publish, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    publish(answer_petition("Kiến nghị thứ nhất về điện"))
    first = client.get(unit_url(agencies))
    assert first["X-Public-Cache"] == "miss" and "max-age=60" in first["Cache-Control"]
    publish(answer_petition("Kiến nghị thứ hai về nước"))
    second = client.get(unit_url(agencies))
    assert second["X-Public-Cache"] == "hit"
    assert "về nước" not in text_of(second), "served from the cache for up to a minute"
    client.cookies["django_language"] = "en"
    english = client.get(unit_url(agencies))
    assert english["X-Public-Cache"] == "miss" and "về nước" in text_of(english)


def test_too_many_requests_from_one_address_get_a_429_in_vietnamese(client, agencies, settings):
    settings.PUBLIC_RATE = "3/60"
    for _ in range(3):
        assert client.get(unit_url(agencies)).status_code == 200
    response = client.get(unit_url(agencies))
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in text_of(response) and response["Retry-After"] == "60"
    other = client.get(unit_url(agencies), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200, "another address is not held back"


def test_publishing_is_the_offices_decision_with_an_audit_entry(client, agencies, answer_petition, leader, clerk):
    from django.core.exceptions import PermissionDenied

    from voters import services

    petition = answer_petition("Kiến nghị về vỉa hè")
    with pytest.raises(PermissionDenied):
        services.petition_answer_publish(actor=clerk, petition=petition)
    assert "vỉa hè" not in text_of(client.get(unit_url(agencies)))

    client.force_login(leader)
    response = client.post(reverse("voters:publish", args=[petition.pk, "publish"]), {"version": petition.version})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.answer_published_at is not None and petition.answer_published_by == leader
    assert AuditEvent.objects.filter(object_id=str(petition.pk), action="publish_answer").count() == 1
    client.logout()
    assert "vỉa hè" in text_of(client.get(unit_url(agencies)))

    client.force_login(leader)
    client.post(reverse("voters:publish", args=[petition.pk, "unpublish"]), {"version": petition.version})
    client.logout()
    assert "vỉa hè" not in text_of(client.get(unit_url(agencies)))
    assert AuditEvent.objects.filter(object_id=str(petition.pk), action="unpublish_answer").count() == 1


def test_the_units_default_publishes_answers_as_they_are_recorded(client, agencies, answer_petition):
    unit = agencies.hdnd.unit
    unit.publish_answers_by_default = True
    unit.save(update_fields=["publish_answers_by_default"])
    petition = answer_petition("Kiến nghị về đèn tín hiệu giao thông")
    assert petition.answer_published_at is not None
    assert AuditEvent.objects.filter(object_id=str(petition.pk), action="publish_answer").exists()
    assert "đèn tín hiệu" in text_of(client.get(unit_url(agencies)))


def test_a_commune_page_lists_the_provinces_petitions_raised_there(client, agencies, answer_petition, publish):
    from tests.factories import CommuneFactory

    commune = CommuneFactory(parent=agencies.hdnd.unit, name="Phường Hải Châu", code="C20194")
    publish(answer_petition("Kiến nghị tại Hải Châu", commune=commune))
    publish(answer_petition("Kiến nghị nơi khác"))
    page = text_of(client.get(reverse("public:unit", args=[commune.code])))
    assert "Kiến nghị tại Hải Châu" in page and "nơi khác" not in page
    province = text_of(client.get(unit_url(agencies)))
    assert "Kiến nghị tại Hải Châu" in province and "Phường Hải Châu" in province
