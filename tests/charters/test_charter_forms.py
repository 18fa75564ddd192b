"""Entering a charter from the paper document in one form: charter, parties and articles; edits and conflicts."""

import pytest
from django.urls import reverse

from charters.models import Article, Charter, CharterStatus
from coordination.models import CoordinationArea, Term


def form_data(agencies, *, idempotency="tok-1", number="03/QCPH-HĐND-UBND-UBMTTQ", articles=None, version=""):
    term = Term.objects.get(name="2021–2026")
    area = CoordinationArea.objects.get(code="voter-contact")
    data = {
        "number": number,
        "title": "Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ban Thường trực Ủy ban MTTQ",
        "term": term.pk,
        "signed_on": "2023-02-07",
        "effective_from": "",
        "supersedes": "",
        "idempotency_token": idempotency,
        "version": version,
        "parties-TOTAL_FORMS": "4",
        "parties-INITIAL_FORMS": "0",
        "parties-0-agency": agencies.hdnd.pk,
        "parties-0-signer_name": "Phương Thị Thanh",
        "parties-0-signer_position": "Chủ tịch HĐND tỉnh",
        "parties-1-agency": agencies.ubnd.pk,
        "parties-1-signer_name": "Nguyễn Đăng Bình",
        "parties-2-agency": agencies.mttq.pk,
        "parties-3-agency": "",
    }
    articles = (
        articles
        if articles is not None
        else [
            {
                "number": 1,
                "title": "Phối hợp tổ chức tiếp xúc cử tri",
                "area": area.pk,
                "lead_agency": agencies.mttq.pk,
                "supporting_agencies": [agencies.hdnd.pk, agencies.ubnd.pk],
            },
            {"number": 2, "title": "Chế độ thông tin, báo cáo"},
            {"number": 3, "title": ""},  # an empty row the clerk did not use
        ]
    )
    data["articles-TOTAL_FORMS"] = str(len(articles))
    data["articles-INITIAL_FORMS"] = "0"
    for index, row in enumerate(articles):
        for key, value in row.items():
            data[f"articles-{index}-{key}"] = value
    return data


@pytest.mark.smoke
def test_clerk_enters_a_charter_with_parties_and_articles(login, clerk, agencies):
    response = login(clerk).post(reverse("charters:create"), form_data(agencies))
    charter = Charter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("charters:detail", args=[charter.pk])
    assert charter.status == CharterStatus.DRAFT
    assert [link.agency for link in charter.party_links.all()] == [agencies.hdnd, agencies.ubnd, agencies.mttq]
    assert charter.party_links.first().signer_name == "Phương Thị Thanh"
    assert list(charter.articles.values_list("number", flat=True)) == [1, 2]
    assert set(charter.articles.get(number=1).supporting_agencies.all()) == {agencies.hdnd, agencies.ubnd}


def test_double_submission_creates_one_charter(login, clerk, agencies):
    client = login(clerk)
    client.post(reverse("charters:create"), form_data(agencies))
    client.post(reverse("charters:create"), form_data(agencies))
    assert Charter.objects.count() == 1


def test_symbol_warning_is_shown_but_the_charter_is_saved(login, clerk, agencies):
    response = login(clerk).post(reverse("charters:create"), form_data(agencies, number="35/QCPH"), follow=True)
    assert Charter.objects.filter(number="35/QCPH").exists()
    assert any(message.level_tag == "warning" for message in response.context["messages"])


def test_one_party_is_refused_and_the_input_is_kept(login, clerk, agencies):
    data = form_data(agencies)
    data["parties-1-agency"] = ""
    data["parties-2-agency"] = ""
    response = login(clerk).post(reverse("charters:create"), data)
    assert response.status_code == 200
    assert not Charter.objects.exists()
    assert "Phối hợp tổ chức tiếp xúc cử tri" in response.content.decode()


def test_edit_renumbers_and_removes_articles(login, clerk, agencies):
    client = login(clerk)
    client.post(reverse("charters:create"), form_data(agencies))
    charter = Charter.objects.get()
    first, second = charter.articles.order_by("number")
    data = form_data(
        agencies,
        version=charter.version,
        articles=[
            {"id": first.pk, "number": 2, "title": first.title},
            {"id": second.pk, "number": 1, "title": second.title, "DELETE": "on"},
            {"number": 3, "title": "Phối hợp giám sát"},
        ],
    )
    response = client.post(reverse("charters:edit", args=[charter.pk]), data)
    assert response.status_code == 302
    assert list(Article.objects.filter(charter=charter).values_list("number", "title")) == [
        (2, first.title),
        (3, "Phối hợp giám sát"),
    ]


def test_edit_with_a_stale_version_keeps_the_input_and_explains(login, clerk, agencies):
    client = login(clerk)
    client.post(reverse("charters:create"), form_data(agencies))
    charter = Charter.objects.get()
    data = form_data(agencies, version=charter.version)
    data["title"] = "Tiêu đề thứ nhất"
    assert client.post(reverse("charters:edit", args=[charter.pk]), data).status_code == 302
    data["title"] = "Tiêu đề thứ hai"
    response = client.post(reverse("charters:edit", args=[charter.pk]), data)
    assert response.status_code == 200
    assert "Tiêu đề thứ hai" in response.content.decode()
    assert Charter.objects.get().title == "Tiêu đề thứ nhất"


def test_obligation_added_on_the_article_page(login, clerk, agencies, in_force_charter):
    article = in_force_charter.articles.first()
    response = login(clerk).post(
        reverse("charters:article", args=[in_force_charter.pk, article.pk]),
        {
            "description": "UBND gửi tờ trình trước kỳ họp",
            "responsible_agency": agencies.ubnd.pk,
            "cadence": "monthly",
            "day_of_period": 25,
            "month": "",
        },
    )
    assert response.status_code == 302
    assert article.obligations.get().responsible_agency == agencies.ubnd


def test_generate_button_creates_the_programme(login, clerk, agencies, in_force_charter):
    article = in_force_charter.articles.first()
    client = login(clerk)
    client.post(
        reverse("charters:article", args=[in_force_charter.pk, article.pk]),
        {
            "description": "Giao ban quý",
            "responsible_agency": agencies.hdnd.pk,
            "cadence": "quarterly",
            "day_of_period": 10,
            "month": 1,
        },
    )
    response = client.post(reverse("charters:generate", args=[in_force_charter.pk]), {"year": 2026})
    assert response.status_code == 302
    assert in_force_charter.tasks.count() == 4
