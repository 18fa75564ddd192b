"""Charters made through the services, as users make them (so status, parties and audit are consistent)."""

from datetime import date

from charters import services
from charters.models import Charter, CharterStatus
from coordination.models import CoordinationArea, Term, User


def term_2021():
    return Term.objects.get(name="2021–2026")


def factory_admin():
    """The actor of records made without a named one: a site administrator (the services authorize their
    actor, and `None` is no one)."""
    user, _created = User.objects.get_or_create(
        username="factory_admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def make_charter(
    agencies,
    *,
    actor=None,
    number="03/QCPH-HĐND-UBND-UBMTTQ",
    kinds=("hdnd", "ubnd", "mttq"),
    signed_on=date(2023, 2, 7),
    status=CharterStatus.DRAFT,
    articles=None,
    term=None,
    token=None,
):
    actor = actor or factory_admin()
    parties = [{"agency": getattr(agencies, kind), "signer_name": f"Người ký {kind}"} for kind in kinds]
    if articles is None:
        area = CoordinationArea.objects.get(code="council-sessions")
        articles = [
            {
                "number": 1,
                "title": "Phối hợp chuẩn bị kỳ họp",
                "area": area,
                "lead_agency": agencies.hdnd,
                "supporting_agencies": [agencies.ubnd],
            },
            {
                "number": 2,
                "title": "Chế độ thông tin, báo cáo",
                "area": CoordinationArea.objects.get(code="information"),
                "lead_agency": agencies.hdnd,
            },
        ]
    unit = getattr(agencies, kinds[0]).unit
    charter = services.charter_create(
        actor=actor,
        unit=unit,
        number=number,
        title="Quy chế phối hợp công tác",
        term=term or term_2021(),
        signed_on=signed_on,
        parties=parties,
        articles=articles,
        idempotency_token=token,
    )
    if status in (CharterStatus.SIGNED, CharterStatus.IN_FORCE):
        services.charter_sign(actor=actor, charter=charter)
    if status == CharterStatus.IN_FORCE:
        services.charter_bring_into_force(actor=actor, charter=charter)
    return Charter.objects.get(pk=charter.pk)
