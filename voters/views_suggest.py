"""The suggestion endpoint: the field and competent agency the unit's province model suggests for the content
being typed (static/voters/suggest.js). Only the user's own unit and province: nothing else is asked for."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from coordination.models import Agency
from coordination.permissions import agency_of

from . import permissions, suggestions
from .models import Field


@require_GET
def petition_suggest(request):
    agency = agency_of(request.user)
    if agency is None or not permissions.can_create(request.user):
        return JsonResponse({"suggestion": None})
    answer = suggestions.suggest(unit=agency.unit, text=request.GET.get("content", "")[:5000])
    if answer is None:
        return JsonResponse({"suggestion": None})
    field, field_confidence = answer["field"]
    agency_id, agency_confidence = answer["agency"]
    province = suggestions.province_of(agency.unit)
    # An agency the model learned but no longer in the province (merged, deleted) is not offered.
    lead = Agency.objects.filter(pk=agency_id).select_related("unit").first()
    if lead is not None and suggestions.province_of(lead.unit) != province:
        lead = None
    return JsonResponse(
        {
            "suggestion": {
                "version": answer["version"],
                "field": {"value": field, "label": str(Field(field).label), "confidence": round(field_confidence, 3)},
                "agency": (
                    {"id": lead.pk, "name": lead.name, "confidence": round(agency_confidence, 3)} if lead else None
                ),
            }
        }
    )
