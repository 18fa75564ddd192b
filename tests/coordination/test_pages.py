"""The shared pages: sign-in and sign-out, profile, password change, home, error pages, template helpers."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from coordination.audit import audit_events_for, audit_record
from coordination.models import AuditEvent, Role
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_demo_like_user_signs_in_and_lands_on_home(client, agencies):
    member(agencies.hdnd, Role.CLERK, username="danang.hdnd.clerk", first_name="Lan", last_name="Nguyễn Thị")

    response = client.post(reverse("login"), {"username": "danang.hdnd.clerk", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    page = home.content.decode()
    assert "Nguyễn Thị Lan" in page
    assert "Thường trực HĐND thành phố Đà Nẵng" in page


def test_wrong_password_is_refused_in_vietnamese(client, clerk):
    response = client.post(reverse("login"), {"username": clerk.username, "password": "not-the-password"})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "mật khẩu chính xác" in response.content.decode()


def test_sign_in_applies_the_profile_language(client, clerk):
    clerk.language = "en"
    clerk.save(update_fields=["language"])

    response = client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD})

    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in client.get(reverse("home")).content.decode()


def test_logout_is_a_post_and_ends_the_session(login, clerk):
    client = login(clerk)
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("logout")}" method="post"' in page

    assert client.get(reverse("logout")).status_code == 405
    assert SESSION_KEY in client.session

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_pages_need_a_signed_in_user(client):
    for name in ("home", "profile", "password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.smoke
def test_home_shows_the_users_agency_unit_and_role(login, leader):
    page = login(leader).get(reverse("home")).content.decode()

    assert "Thường trực HĐND thành phố Đà Nẵng" in page
    assert "Thành phố Đà Nẵng" in page
    assert "Lãnh đạo" in page
    for name in ("voters:list", "meetings:list", "charters:list", "charters:tasks"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("admin:index")}"' not in page


def test_administrators_see_the_administration_link(login, site_admin):
    page = login(site_admin).get(reverse("home")).content.decode()

    assert f'href="{reverse("admin:index")}"' in page
    assert "Quản trị" in page


def test_profile_update_saves_language_and_writes_an_audit_event(login, clerk):
    client = login(clerk)

    response = client.post(
        reverse("profile"),
        {
            "last_name": "Trần Văn",
            "first_name": "Bình",
            "email": "binh@example.test",
            "position": "Chuyên viên",
            "language": "en",
            "email_reminders": "False",
        },
    )

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert (clerk.language, clerk.last_name, clerk.email_reminders) == ("en", "Trần Văn", False)
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    event = AuditEvent.objects.get(action="profile_update", object_id=str(clerk.pk))
    assert event.actor == clerk
    assert event.changes["language"] == ["vi", "en"]
    page = client.get(reverse("profile")).content.decode()
    assert 'lang="en"' in page
    assert "Profile updated" in page  # the user's own timeline


def test_password_change_requires_twelve_characters_with_a_vietnamese_error(login, clerk):
    client = login(clerk)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Ngan#2026", "new_password2": "Ngan#2026"},
    )

    assert response.status_code == 200
    assert "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 12 ký tự." in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


def test_password_change_saves_keeps_the_session_and_is_audited(login, clerk):
    client = login(clerk)
    new_password = "Hội-nghị-sơ-kết-2026"

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    clerk.refresh_from_db()
    assert clerk.check_password(new_password)
    event = AuditEvent.objects.get(action="password_change", object_id=str(clerk.pk))
    assert event.changes == {}
    assert client.get(reverse("password_change_done")).status_code == 200


def test_unknown_url_answers_a_vietnamese_404_page(login, clerk, settings):
    settings.DEBUG = False
    client = login(clerk)

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert "Về trang chủ" in page
    assert 'lang="vi"' in page


def test_error_pages_render_without_a_request():
    with translation.override("vi"):
        page = render_to_string("500.html")
    assert "Hệ thống đang gặp sự cố" in page
    request = RequestFactory().get("/")
    with translation.override("vi"):
        assert "Bạn không có quyền thực hiện thao tác này" in render_to_string("403.html", request=request)


def test_pages_carry_no_inline_script_or_style(login, clerk):
    client = login(clerk)
    for name in ("home", "profile", "password_change"):
        page = client.get(reverse(name)).content.decode()
        assert "<script>" not in page
        assert " style=" not in page
        assert " onclick=" not in page
        assert "//cdn" not in page and "https://" not in page


def test_url_replace_keeps_the_other_parameters():
    request = RequestFactory().get("/petitions/", {"q": "đường", "status": "overdue", "page": "2"})
    rendered = Template("{% load ui %}{% url_replace request page=3 %}").render(Context({"request": request}))

    assert rendered.startswith("?")
    assert "page=3" in rendered
    assert "status=overdue" in rendered
    assert "page=2" not in rendered


def test_pagination_partial_links_keep_filters():
    request = RequestFactory().get("/meetings/", {"kind": "supervision", "page": "2"})
    page = Paginator(list(range(100)), 10).page(2)

    with translation.override("vi"):
        html = render_to_string("partials/pagination.html", {"page": page, "request": request})

    assert "kind=supervision&amp;page=3" in html
    assert "Hiển thị 11–20 trên tổng số 100" in html


def test_timeline_shows_time_actor_action_and_changes(clerk):
    event = AuditEvent(
        created_at=timezone.make_aware(datetime.datetime(2026, 11, 24, 9, 5)),
        actor=clerk,
        action="profile_update",
        summary="Cập nhật chức vụ",
        changes={"position": ["", "Chuyên viên"], "language": ["vi", "en"]},
        content_type=ContentType.objects.get_for_model(clerk),
        object_id=str(clerk.pk),
    )

    with translation.override("vi"):
        html = render_to_string("partials/timeline.html", {"events": [event]})

    assert "24/11/2026 09:05" in html
    assert clerk.display_name in html
    assert "Cập nhật thông tin cá nhân" in html
    assert "Cập nhật chức vụ" in html
    assert "<details" in html and "Chuyên viên" in html
    assert "Chức vụ" in html  # the field's verbose name, not "position"
    assert "English" in html and "Tiếng Việt" in html  # choice labels, not codes


def test_status_badge_colours_by_state():
    html = Template("{% load ui %}{% status_badge 'overdue' 'Quá hạn' %}{% status_badge 'draft' %}").render(Context())

    assert '<span class="badge text-bg-danger">Quá hạn</span>' in html
    assert '<span class="badge text-bg-secondary">draft</span>' in html


@pytest.mark.browser
def test_shell_works_in_a_real_browser(live_server, page, agencies):
    """Assets load, htmx requests carry the CSRF token, data-confirm asks first, the phone menu opens."""
    member(agencies.hdnd, Role.CLERK, username="browser.clerk")
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}")
    )

    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "browser.clerk")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url == live_server.url + reverse("home")
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("typeof bootstrap") == "object"

    token = page.get_attribute('meta[name="csrf-token"]', "content")
    with page.expect_response(lambda response: "/i18n/setlang/" in response.url) as setlang:
        page.evaluate(
            "htmx.ajax('POST', '/i18n/setlang/', {values: {language: 'vi', next: '/'}, swap: 'none', target: 'body'})"
        )
    assert setlang.value.request.headers["x-csrftoken"] == token
    assert setlang.value.status < 400

    page.evaluate(
        """() => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = '/accounts/logout/';
            form.innerHTML = '<button type="submit" data-confirm="Đăng xuất?">x</button>';
            document.querySelector('main').append(form);
        }"""
    )
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    logout_requests = []
    page.on("request", lambda request: "/accounts/logout/" in request.url and logout_requests.append(request.url))
    page.click("main form[action='/accounts/logout/'] button")
    # A submit would have started its request within the click; a round trip to the page comes after it.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(done))")
    assert asked == ["Đăng xuất?"]
    assert not logout_requests
    assert page.url == live_server.url + reverse("home")

    page.set_viewport_size({"width": 390, "height": 844})
    assert not page.is_visible("#mainNav")
    page.click(".navbar-toggler")
    page.wait_for_selector("#mainNav.show")
    assert page.is_visible(f"#mainNav a[href='{reverse('voters:list')}']")
    assert not problems, problems


def test_timeline_costs_one_query_whatever_the_number_of_events(clerk, django_assert_num_queries):
    ContentType.objects.get_for_model(clerk)  # the content-type cache is warm in any real request
    for count in (1, 30):
        with transaction.atomic():
            while AuditEvent.objects.filter(object_id=str(clerk.pk)).count() < count:
                audit_record(actor=clerk, obj=clerk, action="profile_update", changes={"position": ["a", "b"]})
        with django_assert_num_queries(1):
            html = render_to_string("partials/timeline.html", {"events": audit_events_for(clerk)})
        assert html.count('class="timeline-item"') == count
