"""Request middleware of the shared core."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class OfficeLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language (language cookie, set by the switcher or at sign-in).

    Django's own middleware would follow the browser's Accept-Language, so an office computer with an
    English Windows would show the product in English by default; here the browser setting is ignored.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
