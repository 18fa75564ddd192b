"""The OpenAPI schema of the read API and its documentation page (Redoc, served from this site: the bundle of the
drf-spectacular-sidecar package, copied to static/vendor/redoc/ without its remote logo by scripts/vendor_redoc.py).
Both are public: they describe, hold no data."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.permissions import AllowAny


class PublicDocsMixin:
    authentication_classes = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head"]

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


class SchemaView(PublicDocsMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; JSON with `Accept: application/vnd.oai.openapi+json` or `?format=json`)."""

    urlconf = None

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # drf-spectacular's own get() also switches the language from `?lang=`; one schema is enough here.
        return self._get_schema_response(request)


# Redoc styles its page with inline <style> elements (styled-components) and runs its search in a blob: worker:
# the strict policy of the site is relaxed for this page only, and only for those two.
@method_decorator(csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}), name="dispatch")
class DocsView(PublicDocsMixin, SpectacularRedocView):
    url_name = "api:schema"
    template_name = "coordination/api_docs.html"
    title = "API đọc dữ liệu Quy chế phối hợp — v1"

    def _get_schema_url(self, request):
        return reverse(self.url_name)

    @staticmethod
    def _redoc_standalone():
        # The sidecar's bundle draws its logo from cdn.redoc.ly, which the policy rightly blocks (img-src 'self').
        return static("vendor/redoc/redoc.standalone.js")
