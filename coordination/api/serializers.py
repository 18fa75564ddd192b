"""What the read API returns for each record. Related records are given by id (each has its own endpoint to
sync from); a petition's personal data only where the pages would show it to the token's agency.

Plain serializers over the apps' selector querysets: the aggregator never imports an app's models."""

from rest_framework import serializers

from charters.selectors import CharterStatus
from coordination.models import AdministrativeUnit, Agency
from meetings.selectors import MeetingKind
from voters.selectors import Field, Source, Status

PERSONAL_FIELDS = ("voter_name", "voter_address", "voter_phone")


class IdsField(serializers.ListField):
    """The ids of a to-many relation, read from its prefetched rows (no query per row)."""

    child = serializers.IntegerField()

    def to_representation(self, data):
        return [item.pk for item in data.all()]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = (
            "id",
            "code",
            "name",
            "division_type",
            "level",
            "parent",
            "successor",
            "is_active",
            "dissolved_on",
            "updated_at",
        )


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ("id", "unit", "kind", "name", "short_name", "is_active", "updated_at")


class CharterPartySerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id")
    signer_name = serializers.CharField()
    signer_position = serializers.CharField()
    order = serializers.IntegerField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    area = serializers.CharField(source="area.code", allow_null=True, help_text="Coordination area code.")
    lead_agency = serializers.IntegerField(source="lead_agency_id", allow_null=True)
    supporting_agencies = IdsField()


class CharterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="Number and symbol, e.g. 03/QCPH-HĐND-UBND-UBMTTQ.")
    title = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    term = serializers.CharField(source="term.name")
    status = serializers.ChoiceField(choices=CharterStatus.choices)
    signed_on = serializers.DateField(allow_null=True)
    effective_from = serializers.DateField(allow_null=True)
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    parties = CharterPartySerializer(source="party_links", many=True)
    articles = ArticleSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    subkind = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    host_agency = serializers.IntegerField(source="host_agency_id")
    participating_agencies = IdsField()
    charter = serializers.IntegerField(source="charter_id", allow_null=True)
    area = serializers.CharField(source="area.code", allow_null=True, help_text="Coordination area code.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField()
    chair = serializers.CharField()
    minutes_recorded_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ForwardingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.IntegerField(source="agency_id", help_text="The lead agency asked to answer.")
    supporting_agencies = IdsField()
    dispatch_number = serializers.CharField()
    dispatch_date = serializers.DateField()
    due_date = serializers.DateField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True, help_text="Set when returned as the wrong authority.")
    return_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    forwarding = serializers.IntegerField(source="forwarding_id", allow_null=True)
    agency = serializers.IntegerField(source="agency_id")
    text = serializers.CharField()
    document_number = serializers.CharField()
    document_date = serializers.DateField()
    outcome = serializers.CharField()
    plan = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    is_reanswer = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class PetitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="KN-000123")
    unit = serializers.IntegerField(source="unit_id")
    originating_agency = serializers.IntegerField(source="originating_agency_id")
    source = serializers.ChoiceField(choices=Source.choices)
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    received_on = serializers.DateField()
    commune = serializers.IntegerField(source="commune_id", allow_null=True)
    locality = serializers.CharField()
    content = serializers.CharField()
    field = serializers.ChoiceField(choices=Field.choices, allow_blank=True)
    kind = serializers.CharField()
    competence_level = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    lead_agency = serializers.IntegerField(source="lead_agency_id", allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    answered_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    primary = serializers.IntegerField(
        source="primary_id", allow_null=True, help_text="The petition this one is grouped under (answered once)."
    )
    flagged_for_supervision = serializers.BooleanField()
    personal_data_included = serializers.BooleanField(
        source="may_see_personal",
        help_text="Whether the token's agency may see the voter's personal data (it took the petition in or "
        "was asked to answer or support it); when false the voter_* fields are absent.",
    )
    voter_name = serializers.CharField(required=False)
    voter_address = serializers.CharField(required=False)
    voter_phone = serializers.CharField(required=False)
    forwardings = ForwardingSerializer(many=True)
    answers = AnswerSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The flag is computed per row by the same rule as the pages (voters.permissions.with_personal_data_flag).
        if not getattr(instance, "may_see_personal", False):
            for name in PERSONAL_FIELDS:
                data.pop(name, None)
        return data
