"""Token authentication of the read API: `Authorization: Bearer <secret>`, looked up by its SHA-256 hash."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from coordination.permissions import AgencyReader

from .models import ApiToken, token_hash

KEYWORD = b"bearer"
# A secret is 43 characters (32 random bytes, URL-safe base64); anything much longer is not one of ours.
SECRET_MAX_LENGTH = 100


class ApiTokenAuthentication(BaseAuthentication):
    """The token's agency reads as a member of it would (`AgencyReader`). An unknown, revoked or malformed token,
    or one whose agency is no longer active, answers 401 with `WWW-Authenticate: Bearer`.

    The token found (accepted or refused) is kept on the request (`api_token`), so the view records the use."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2 or len(parts[1]) > SECRET_MAX_LENGTH:
            raise AuthenticationFailed(_("Invalid token header."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid token header.")) from None
        token = ApiToken.objects.select_related("agency__unit__parent").filter(secret_hash=token_hash(secret)).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        request._request.api_token = token
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This token has been revoked."))
        if not token.agency.is_active:
            raise AuthenticationFailed(_("The token's agency is no longer active."))
        return AgencyReader(token.agency), token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular finds it by `target_class`)."""

    target_class = "coordination.api.authentication.ApiTokenAuthentication"
    name = "agencyToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")  # noqa: S106
