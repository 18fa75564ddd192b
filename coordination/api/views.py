"""The read API's endpoints: thin views over the apps' selectors, which apply the pages' permission rules.

Every view: token authentication (401 with WWW-Authenticate without a valid token), GET/HEAD only (405
otherwise), a rate limit per token, one audit entry per request made with a token (`finalize_response`)."""

import datetime
import decimal

from django.contrib.auth.decorators import login_not_required
from django.db.models import Model
from django.utils.functional import Promise
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from charters.selectors import charters_with_articles
from coordination.dashboard.selectors import Figure, dashboard_figures, dashboard_scope
from coordination.units import agencies_visible_to, units_visible_to
from meetings.selectors import meetings_for_reader
from voters.selectors import petition_with_history, petitions_with_history

from . import serializers
from .authentication import ApiTokenAuthentication
from .filters import updated_since_filter
from .pagination import UpdatedCursorPagination
from .services import api_token_use_record
from .throttling import TokenRateThrottle

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only records changed at or after this ISO 8601 date-time (a date means its midnight, "
    "Asia/Ho_Chi_Minh). Resume a sync from the last `updated_at` you stored.",
)


class ReadApiMixin:
    """What every endpoint of the read API shares."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head"]

    @classmethod
    def as_view(cls, **initkwargs):
        # The LoginRequiredMiddleware would send a system to the sign-in page: the token is the credential.
        return login_not_required(super().as_view(**initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request._request, "api_token", None)
        if token is not None:
            api_token_use_record(
                token=token, method=request.method, path=request.get_full_path(), status=response.status_code
            )
        return response


class ReadListView(ReadApiMixin, generics.ListAPIView):
    """A list in cursor pages ordered by (updated_at, id), filterable by `updated_since`."""

    pagination_class = UpdatedCursorPagination

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        return updated_since_filter(self.rows(), self.request.query_params)


class ReadDetailView(ReadApiMixin, generics.RetrieveAPIView):
    """One record; another unit's (or an unknown one) answers 404."""

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.rows()


@extend_schema_view(get=extend_schema(parameters=[UPDATED_SINCE]))
class UnitList(ReadListView):
    """Administrative units the token's agency sees: its own, the units below it and merged legacy units."""

    serializer_class = serializers.UnitSerializer

    def rows(self):
        return units_visible_to(self.request.user)


class UnitDetail(ReadDetailView):
    serializer_class = serializers.UnitSerializer

    def rows(self):
        return units_visible_to(self.request.user)


@extend_schema_view(get=extend_schema(parameters=[UPDATED_SINCE]))
class AgencyList(ReadListView):
    """Agencies of the units the token's agency sees (inactive ones included, with `is_active`)."""

    serializer_class = serializers.AgencySerializer

    def rows(self):
        return agencies_visible_to(self.request.user)


class AgencyDetail(ReadDetailView):
    serializer_class = serializers.AgencySerializer

    def rows(self):
        return agencies_visible_to(self.request.user)


@extend_schema_view(get=extend_schema(parameters=[UPDATED_SINCE]))
class CharterList(ReadListView):
    """Coordination charters with their parties and articles."""

    serializer_class = serializers.CharterSerializer

    def rows(self):
        return charters_with_articles(self.request.user)


class CharterDetail(ReadDetailView):
    serializer_class = serializers.CharterSerializer

    def rows(self):
        return charters_with_articles(self.request.user)


@extend_schema_view(get=extend_schema(parameters=[UPDATED_SINCE]))
class MeetingList(ReadListView):
    """Meetings of every kind (council sessions, voter contacts, supervision visits...)."""

    serializer_class = serializers.MeetingSerializer

    def rows(self):
        return meetings_for_reader(self.request.user)


class MeetingDetail(ReadDetailView):
    serializer_class = serializers.MeetingSerializer

    def rows(self):
        return meetings_for_reader(self.request.user)


@extend_schema_view(get=extend_schema(parameters=[UPDATED_SINCE]))
class PetitionList(ReadListView):
    """Voter petitions with their forwardings and answers. The voter's name, address and phone only where the
    token's agency took the petition in or was asked to answer or support it (`personal_data_included`)."""

    serializer_class = serializers.PetitionSerializer

    def rows(self):
        return petitions_with_history(self.request.user)


class PetitionDetail(ReadDetailView):
    serializer_class = serializers.PetitionSerializer

    def get_object(self):
        petition = petition_with_history(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, petition)
        return petition


def _plain(value):
    """The dashboard's figures as JSON: a figure is its count (its link is for the pages), a model its id."""
    if isinstance(value, Figure):
        return value.value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return value


DASHBOARD_BLOCKS = ("petitions", "meetings", "tasks", "documents", "agencies", "communes")


@extend_schema(
    parameters=[
        OpenApiParameter("unit", int, description="A unit the token's agency sees (default: its own)."),
        OpenApiParameter("agency", int, description="Only this agency's records (an agency of the unit)."),
        OpenApiParameter("year", int, description="Calendar year (default: this year)."),
        OpenApiParameter("from", OpenApiTypes.DATE, description="Period start (with `to`, instead of `year`)."),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Period end."),
    ],
    responses={200: OpenApiTypes.OBJECT},
)
class Dashboard(ReadApiMixin, APIView):
    """The leaders' dashboard figures (the same computation as the page): petitions received, forwarded,
    answered, on time, overdue, by field; meetings; tasks; session documents; the comparison by agency and by
    commune. A unit the token's agency does not see answers 404."""

    def get(self, request):
        scope = dashboard_scope(request.user, request.query_params)
        data = dashboard_figures(scope)
        body = {
            "unit": scope.unit.pk,
            "agency": scope.agency.pk if scope.agency else None,
            "start": scope.start.isoformat(),
            "end": scope.end.isoformat(),
            "computed_at": _plain(data["computed_at"]),
            "petitions_as_of": _plain(data["petitions_as_of"]),
        }
        body.update({name: _plain(data.get(name)) for name in DASHBOARD_BLOCKS})
        return Response(body)
