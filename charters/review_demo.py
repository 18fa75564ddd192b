"""Demo data of the reviews: the 2025 review of each demo unit's charter in force, as a draft (no PDF rendered)."""

from django.db import transaction

from coordination.models import Membership, Role

from .models import Charter, CharterStatus
from .review_models import AnnualReview, ReviewKind
from .reviews import review_create

DEMO_YEAR = 2025


@transaction.atomic
def seed(context):
    for demo_unit in context.units.values():
        charter = (
            Charter.objects.filter(unit=demo_unit.unit, status=CharterStatus.IN_FORCE)
            .order_by("-effective_from")
            .first()
        )
        if (
            charter is None
            or AnnualReview.objects.filter(charter=charter, year=DEMO_YEAR, kind=ReviewKind.ANNUAL).exists()
        ):
            continue
        secretariat = (
            Membership.objects.filter(agency__in=charter.parties.all(), role=Role.SECRETARIAT)
            .select_related("user")
            .order_by("agency__kind")
            .first()
        )
        review_create(
            actor=secretariat.user if secretariat else context.admin,
            charter=charter,
            year=DEMO_YEAR,
            kind=ReviewKind.ANNUAL,
            idempotency_token=f"demo-review-{charter.pk}-{DEMO_YEAR}",
            today=context.today,
        )
