"""Every write to charters, articles, obligations and tasks: one transaction each, with an audit entry.

Each service checks that `actor` may act (`charters.permissions`) and raises PermissionDenied otherwise,
whoever calls it (a view, a Celery task, a command). Only `tasks_generate` accepts `actor=None`: the
yearly generation is a system operation of the scheduler, the `generate_tasks` command and the demo."""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from coordination.audit import audit_record, diff, snapshot
from coordination.locking import ConflictError, versioned_update  # noqa: F401 (re-exported)
from coordination.models import PARTY_KINDS, CoordinationArea
from coordination.permissions import can_see_unit, ensure
from coordination.text import fold

from . import permissions
from .cadence import council_sessions, obligation_occurrences
from .models import (
    Article,
    Cadence,
    Charter,
    CharterParty,
    CharterStatus,
    CharterWitness,
    Obligation,
    Task,
    TaskOrigin,
    TaskStatus,
    WorkProgramme,
)
from .uploads import validate_pdf_upload

MIN_PARTIES = 2
MAX_PARTIES = 4

CHARTER_FIELDS = [
    "number",
    "title",
    "term",
    "signed_on",
    "effective_from",
    "supersedes",
    "conference_on",
    "conference_place",
    "conference_chair",
    "disseminated_on",
    "dissemination",
]
# The signing conference and the dissemination: optional keyword arguments of charter_create / charter_update.
CHARTER_RECORD_FIELDS = ["conference_on", "conference_place", "conference_chair", "disseminated_on", "dissemination"]
ARTICLE_FIELDS = ["number", "title", "text", "area", "lead_agency"]
OBLIGATION_FIELDS = [
    "description",
    "responsible_agency",
    "cadence",
    "day_of_period",
    "month",
    "deadline_rule",
    "is_active",
]
TASK_FIELDS = ["title", "area", "article", "responsible_agency", "due_date"]


def _today():
    return timezone.localdate()


def _stored(message, **params):
    """Text kept in the database (audit summaries, task titles) is written in the installation's language,
    not in the language of whoever happened to trigger the write."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(message)
    return text % params if params else text


def _claim_version(model, obj, version):
    """Bump the version only if it is still the one the user saw; raises ConflictError otherwise."""
    versioned_update(obj, expected_version=version)


def _charter_search_text(charter, agencies):
    parts = [charter.number, charter.title, charter.unit.name, charter.term.name if charter.term_id else ""]
    parts += [agency.name for agency in agencies] + [agency.short_name for agency in agencies]
    return fold(" ".join(part for part in parts if part))


def _validate_parties(unit, parties):
    agencies = [row["agency"] for row in parties]
    if not MIN_PARTIES <= len(agencies) <= MAX_PARTIES:
        raise ValidationError(
            _("A charter is signed by %(min)s to %(max)s agencies; %(count)s given.")
            % {"min": MIN_PARTIES, "max": MAX_PARTIES, "count": len(agencies)}
        )
    if len({agency.pk for agency in agencies}) != len(agencies):
        raise ValidationError(_("Each agency signs a charter once."))
    for agency in agencies:
        if agency.unit_id != unit.pk:
            raise ValidationError(
                _("%(agency)s does not belong to %(unit)s: all parties must be agencies of the same unit.")
                % {"agency": agency, "unit": unit}
            )
        if agency.kind not in PARTY_KINDS:
            raise ValidationError(
                _(
                    "%(agency)s cannot sign a charter: parties are the People's Council, the People's Committee, "
                    "the Fatherland Front and the National Assembly delegation."
                )
                % {"agency": agency}
            )


def _set_parties(charter, parties):
    # The parties change: forget those the permission checks cached on this instance.
    charter._party_agency_ids = None
    getattr(charter, "_prefetched_objects_cache", {}).pop("party_links", None)
    CharterParty.objects.filter(charter=charter).delete()
    CharterParty.objects.bulk_create(
        CharterParty(
            charter=charter,
            agency=row["agency"],
            signer_name=row.get("signer_name", ""),
            signer_position=row.get("signer_position", ""),
            order=order,
        )
        for order, row in enumerate(parties)
    )


def _set_witnesses(charter, witnesses):
    """Replace the charter's witnesses with `witnesses` (dicts: name, position); rows without a name are skipped."""
    CharterWitness.objects.filter(charter=charter).delete()
    rows = []
    for order, row in enumerate(witnesses):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        witness = CharterWitness(charter=charter, name=name, position=(row.get("position") or "").strip(), order=order)
        witness.full_clean(exclude=["charter"])
        rows.append(witness)
    CharterWitness.objects.bulk_create(rows)
    return [str(witness) for witness in rows]


def _set_areas(charter, areas, own_areas):
    """The areas the charter lists: catalogue areas (`areas`) and areas of its own (`own_areas`, names), which are
    created for this charter only. Own areas dropped from the list are deleted unless a record still uses them."""
    catalogue = [area for area in areas if area.in_catalogue]
    own_before = {area.name: area for area in charter.areas.filter(in_catalogue=False)}
    own = []
    for name in dict.fromkeys(name.strip()[:200] for name in own_areas if name and name.strip()):
        area = own_before.pop(name, None)
        if area is None:
            area = CoordinationArea(
                code=f"charter-{charter.pk}-{uuid.uuid4().hex[:8]}", name=name, order=900, in_catalogue=False
            )
            area.full_clean()
            area.save()
        own.append(area)
    charter.areas.set([*catalogue, *own])
    for area in own_before.values():
        try:
            with transaction.atomic():
                area.delete()
        except ProtectedError:
            pass  # an article, task or meeting still names it: it stays, no longer listed by the charter
    return [area.name for area in [*catalogue, *own]]


def _check_article_agencies(charter, row):
    for agency in [row.get("lead_agency"), *row.get("supporting_agencies", ())]:
        if agency is not None and agency.unit_id != charter.unit_id:
            raise ValidationError(
                _("Article %(number)s: %(agency)s is not an agency of %(unit)s.")
                % {"number": row.get("number"), "agency": agency, "unit": charter.unit}
            )


def _sync_articles(charter, articles):
    """Create, update and delete articles so the charter holds exactly `articles` (dicts; "id" for existing)."""
    existing = {article.pk: article for article in charter.articles.all()}
    numbers = [row["number"] for row in articles]
    if len(set(numbers)) != len(numbers):
        raise ValidationError(_("Two articles have the same number."))
    kept = set()
    # Free the numbers first so renumbering (Article 3 ↔ 4) does not trip the unique constraint.
    if existing:
        Article.objects.filter(pk__in=existing).update(number=F("number") + 10000)
    for row in articles:
        _check_article_agencies(charter, row)
        article = existing.get(row.get("id")) or Article(charter=charter)
        for name in ARTICLE_FIELDS:
            setattr(article, name, row.get(name, "" if name in ("title", "text") else None))
        article.full_clean(exclude=["charter"], validate_unique=False)
        article.save()
        article.supporting_agencies.set(row.get("supporting_agencies", ()))
        kept.add(article.pk)
    removed = [pk for pk in existing if pk not in kept]
    if removed:
        if Task.objects.filter(article_id__in=removed).exists():
            raise ValidationError(_("An article that already has tasks cannot be removed."))
        Article.objects.filter(pk__in=removed).delete()
    return len(articles)


@transaction.atomic
def charter_create(
    *,
    actor,
    unit,
    number,
    title,
    term,
    parties,
    articles=(),
    signed_on=None,
    effective_from=None,
    supersedes=None,
    idempotency_token=None,
    witnesses=(),
    areas=(),
    own_areas=(),
    **record,
):
    """A new draft charter with its parties (2–4 agencies of `unit`) and articles; its witnesses, the areas it
    lists (catalogue areas and `own_areas`, names of its own) and, in `record`, the signing conference and the
    dissemination (CHARTER_RECORD_FIELDS).

    Submitting the same form twice (same `idempotency_token`) returns the charter made the first time.
    """
    _check_record(record)
    ensure(permissions.can_create_charter(actor) and can_see_unit(actor, unit.pk))
    if idempotency_token:
        existing = Charter.objects.filter(idempotency_token=idempotency_token).first()
        if existing is not None:
            return existing
    _validate_parties(unit, parties)
    charter = Charter(
        unit=unit,
        number=number.strip(),
        title=title.strip(),
        term=term,
        signed_on=signed_on,
        effective_from=effective_from,
        supersedes=supersedes,
        idempotency_token=idempotency_token or None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **record,
    )
    charter.full_clean()
    charter.search_text = _charter_search_text(charter, [row["agency"] for row in parties])
    try:
        with transaction.atomic():
            charter.save()
    except IntegrityError:
        # A concurrent double submission won the race on the token: hand back its charter.
        if idempotency_token:
            return Charter.objects.get(idempotency_token=idempotency_token)
        raise
    _set_parties(charter, parties)
    count = _sync_articles(charter, list(articles))
    witness_names = _set_witnesses(charter, witnesses)
    area_names = _set_areas(charter, areas, own_areas)
    audit_record(
        actor=actor,
        obj=charter,
        action="create",
        changes={
            **snapshot(charter, CHARTER_FIELDS),
            "parties": [str(row["agency"]) for row in parties],
            "articles": count,
            "witnesses": witness_names,
            "areas": area_names,
        },
        summary=_stored(gettext_noop("Charter %(number)s entered as a draft"), number=charter.number),
    )
    return charter


@transaction.atomic
def charter_update(
    *,
    actor,
    charter,
    version,
    number,
    title,
    term,
    parties,
    articles=None,
    signed_on=None,
    effective_from=None,
    supersedes=None,
    witnesses=None,
    areas=None,
    own_areas=None,
    **record,
):
    """Edit a draft charter (its parties and, when given, its articles, witnesses, areas and the `record` fields).
    Signed charters are not edited; their conference, witnesses and dissemination go through charter_record_update."""
    _check_record(record)
    ensure(permissions.may_write_charter(actor, charter))
    if charter.status != CharterStatus.DRAFT:
        raise ValidationError(
            _("Only a draft charter can be edited; this one is %(status)s.") % {"status": charter.get_status_display()}
        )
    _claim_version(Charter, charter, version)
    _validate_parties(charter.unit, parties)
    before = snapshot(charter, CHARTER_FIELDS)
    before["parties"] = [str(link.agency) for link in charter.party_links.select_related("agency")]
    charter.number, charter.title, charter.term = number.strip(), title.strip(), term
    charter.signed_on, charter.effective_from, charter.supersedes = signed_on, effective_from, supersedes
    for name, value in record.items():
        setattr(charter, name, value)
    charter.full_clean(exclude=["idempotency_token"])
    charter.search_text = _charter_search_text(charter, [row["agency"] for row in parties])
    charter.save(update_fields=[*CHARTER_FIELDS, "search_text", "updated_at"])
    _set_parties(charter, parties)
    after = snapshot(charter, CHARTER_FIELDS)
    after["parties"] = [str(row["agency"]) for row in parties]
    changes = diff(before, after)
    changes.update(_lists_update(charter, witnesses, areas, own_areas))
    if articles is not None:
        changes["articles"] = [None, _sync_articles(charter, list(articles))]
    audit_record(
        actor=actor, obj=charter, action="update", changes=changes, summary=_stored(gettext_noop("Charter edited"))
    )
    return charter


def _check_record(record):
    unknown = set(record) - set(CHARTER_RECORD_FIELDS)
    if unknown:
        raise TypeError(f"unexpected charter fields: {sorted(unknown)}")


def _lists_update(charter, witnesses, areas, own_areas):
    """Replace the witnesses and the listed areas when given; the {name: [before, after]} changes for the audit."""
    changes = {}
    if witnesses is not None:
        before = [str(witness) for witness in charter.witnesses.all()]
        after = _set_witnesses(charter, witnesses)
        if before != after:
            changes["witnesses"] = [before, after]
    if areas is not None or own_areas is not None:
        before = [area.name for area in charter.areas.all()]
        after = _set_areas(
            charter,
            charter.areas.filter(in_catalogue=True) if areas is None else areas,
            charter.areas.filter(in_catalogue=False).values_list("name", flat=True) if own_areas is None else own_areas,
        )
        if sorted(before) != sorted(after):
            changes["areas"] = [before, after]
    return changes


@transaction.atomic
def charter_record_update(*, actor, charter, version, witnesses=None, areas=None, own_areas=None, **record):
    """The facts around a charter that do not change its text — witnesses, the areas it lists, the signing
    conference and the dissemination — recorded at any status (dissemination follows the signing)."""
    _check_record(record)
    ensure(permissions.may_write_charter(actor, charter))
    _claim_version(Charter, charter, version)
    before = snapshot(charter, CHARTER_RECORD_FIELDS)
    for name, value in record.items():
        setattr(charter, name, value)
    charter.full_clean(exclude=["idempotency_token"])
    charter.save(update_fields=[*CHARTER_RECORD_FIELDS, "updated_at"])
    changes = diff(before, snapshot(charter, CHARTER_RECORD_FIELDS))
    changes.update(_lists_update(charter, witnesses, areas, own_areas))
    audit_record(
        actor=actor,
        obj=charter,
        action="record_update",
        changes=changes,
        summary=_stored(gettext_noop("Signing conference, witnesses and dissemination recorded")),
    )
    return charter


def _transition(charter, *, source, target, refusal):
    """Move `charter` from one of `source` to `target` atomically, or refuse with a clear message."""
    updated = Charter.objects.filter(pk=charter.pk, status__in=source).update(status=target, version=F("version") + 1)
    if not updated:
        charter.refresh_from_db(fields=["status"])
        raise ValidationError(refusal % {"status": charter.get_status_display()})
    charter.status = target
    charter.version += 1


@transaction.atomic
def charter_sign(*, actor, charter, signed_on=None):
    """draft → signed: the parties have signed on `signed_on` (within the term)."""
    ensure(permissions.can_change_status(actor, charter))
    signed_on = signed_on or charter.signed_on
    if signed_on is None:
        raise ValidationError(_("Enter the signing date before marking the charter as signed."))
    links = list(charter.party_links.select_related("agency"))
    _validate_parties(charter.unit, [{"agency": link.agency} for link in links])
    if not charter.articles.exists():
        raise ValidationError(_("Enter the charter's articles before marking it as signed."))
    charter.signed_on = signed_on
    if charter.effective_from is None:
        charter.effective_from = signed_on
    charter.full_clean(exclude=["idempotency_token"])
    _transition(
        charter,
        source=[CharterStatus.DRAFT],
        target=CharterStatus.SIGNED,
        refusal=_("Only a draft charter can be signed; this one is %(status)s."),
    )
    charter.save(update_fields=["signed_on", "effective_from", "updated_at"])
    audit_record(
        actor=actor,
        obj=charter,
        action="sign",
        changes={"status": [CharterStatus.DRAFT, CharterStatus.SIGNED], "signed_on": signed_on},
        summary=_stored(gettext_noop("Charter signed on %(date)s"), date=signed_on.strftime("%d/%m/%Y")),
    )
    return charter


def _cancel_open_tasks_from(charter, day, *, actor, reason):
    """Cancel the open tasks of `charter` due on or after `day` (its work programme ends there)."""
    tasks = list(Task.objects.filter(charter=charter, status=TaskStatus.OPEN, due_date__gte=day))
    for task in tasks:
        task.status = TaskStatus.CANCELLED
        task.version += 1
        task.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=actor, obj=task, action="cancel", changes={"status": ["open", "cancelled"]}, summary=reason)
    return len(tasks)


@transaction.atomic
def charter_bring_into_force(*, actor, charter, effective_from=None):
    """signed → in_force, superseding the unit's in-force charter of the same parties (and the one named)."""
    ensure(permissions.can_change_status(actor, charter))
    effective_from = effective_from or charter.effective_from or charter.signed_on
    charter.effective_from = effective_from
    charter.full_clean(exclude=["idempotency_token"])
    _transition(
        charter,
        source=[CharterStatus.SIGNED],
        target=CharterStatus.IN_FORCE,
        refusal=_("Only a signed charter can be brought into force; this one is %(status)s."),
    )
    party_ids = set(charter.party_links.values_list("agency_id", flat=True))
    previous = []
    candidates = (
        Charter.objects.select_for_update()
        .filter(unit=charter.unit, status=CharterStatus.IN_FORCE)
        .exclude(pk=charter.pk)
        .prefetch_related("party_links")
        .order_by("-effective_from", "-id")
    )
    for other in candidates:
        same_parties = {link.agency_id for link in other.party_links.all()} == party_ids
        if same_parties or other.pk == charter.supersedes_id:
            previous.append(other)
    for other in previous:
        Charter.objects.filter(pk=other.pk).update(status=CharterStatus.SUPERSEDED, version=F("version") + 1)
        reason = _stored(gettext_noop("Superseded by charter %(number)s"), number=charter.number)
        cancelled = _cancel_open_tasks_from(other, effective_from, actor=actor, reason=reason)
        audit_record(
            actor=actor,
            obj=other,
            action="supersede",
            changes={"status": [CharterStatus.IN_FORCE, CharterStatus.SUPERSEDED], "cancelled_tasks": cancelled},
            summary=_stored(gettext_noop("Superseded by charter %(number)s"), number=charter.number),
        )
    if previous and charter.supersedes_id is None:
        charter.supersedes = previous[0]
    charter.save(update_fields=["effective_from", "supersedes", "updated_at"])
    audit_record(
        actor=actor,
        obj=charter,
        action="bring_into_force",
        changes={
            "status": [CharterStatus.SIGNED, CharterStatus.IN_FORCE],
            "effective_from": effective_from,
            "supersedes": [str(other) for other in previous],
        },
        summary=_stored(gettext_noop("Charter in force from %(date)s"), date=effective_from.strftime("%d/%m/%Y")),
    )
    return charter


@transaction.atomic
def charter_expire(*, actor, charter, expired_on=None):
    """in_force → expired (e.g. at the end of the term with no successor); open tasks after that day are cancelled."""
    ensure(permissions.can_change_status(actor, charter))
    expired_on = expired_on or _today()
    _transition(
        charter,
        source=[CharterStatus.IN_FORCE],
        target=CharterStatus.EXPIRED,
        refusal=_("Only a charter in force can expire; this one is %(status)s."),
    )
    cancelled = _cancel_open_tasks_from(
        charter,
        expired_on + datetime.timedelta(days=1),
        actor=actor,
        reason=_stored(gettext_noop("The charter expired")),
    )
    audit_record(
        actor=actor,
        obj=charter,
        action="expire",
        changes={
            "status": [CharterStatus.IN_FORCE, CharterStatus.EXPIRED],
            "expired_on": expired_on,
            "cancelled_tasks": cancelled,
        },
        summary=_stored(gettext_noop("Charter expired on %(date)s"), date=expired_on.strftime("%d/%m/%Y")),
    )
    return charter


@transaction.atomic
def charter_scan_attach(*, actor, charter, upload):
    """Store the signed scan (a PDF checked by content and size), replacing the previous one."""
    ensure(permissions.can_upload_scan(actor, charter))
    validate_pdf_upload(upload)
    old_name = charter.scan.name if charter.scan else ""
    charter.scan.save(f"{fold(charter.number).replace('/', '-').replace(' ', '-')}.pdf", upload, save=False)
    charter.scan_uploaded_at = timezone.now()
    charter.save(update_fields=["scan", "scan_uploaded_at", "updated_at"])
    audit_record(
        actor=actor,
        obj=charter,
        action="scan_attach",
        changes={"scan": [old_name, charter.scan.name], "size": upload.size},
        summary=_stored(gettext_noop("Signed scan uploaded")),
    )
    if old_name:
        storage = charter.scan.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return charter


# --- Obligations ---------------------------------------------------------------------------------------------


def _check_obligation_editable(article):
    if article.charter.status not in (CharterStatus.DRAFT, CharterStatus.SIGNED, CharterStatus.IN_FORCE):
        raise ValidationError(
            _("The charter is %(status)s: its duties can no longer change.")
            % {"status": article.charter.get_status_display()}
        )


def _check_obligation_agency(article, agency):
    if agency.unit_id != article.charter.unit_id:
        raise ValidationError({"responsible_agency": _("Choose an agency of the charter's unit.")})


@transaction.atomic
def obligation_create(
    *, actor, article, description, responsible_agency, cadence, day_of_period=1, month=None, deadline_rule=None
):
    ensure(permissions.may_write_charter(actor, article.charter))
    _check_obligation_editable(article)
    _check_obligation_agency(article, responsible_agency)
    obligation = Obligation(
        article=article,
        description=description.strip(),
        responsible_agency=responsible_agency,
        cadence=cadence,
        day_of_period=day_of_period or 1,
        month=month,
        deadline_rule=deadline_rule,
    )
    obligation.full_clean()
    obligation.save()
    audit_record(
        actor=actor,
        obj=article.charter,
        action="obligation_create",
        changes=snapshot(obligation, OBLIGATION_FIELDS),
        summary=_stored(
            gettext_noop("Duty added to article %(number)s: %(duty)s"), number=article.number, duty=description
        ),
    )
    return obligation


@transaction.atomic
def obligation_update(*, actor, obligation, version, **fields):
    """Change a duty. Tasks already generated follow on the next generation (only open future ones change)."""
    ensure(permissions.may_write_charter(actor, obligation.article.charter))
    _check_obligation_editable(obligation.article)
    _claim_version(Obligation, obligation, version)
    before = snapshot(obligation, OBLIGATION_FIELDS)
    for name in OBLIGATION_FIELDS:
        if name in fields:
            setattr(obligation, name, fields[name])
    _check_obligation_agency(obligation.article, obligation.responsible_agency)
    obligation.full_clean()
    obligation.save(update_fields=OBLIGATION_FIELDS)
    changes = diff(before, snapshot(obligation, OBLIGATION_FIELDS))
    audit_record(
        actor=actor,
        obj=obligation.article.charter,
        action="obligation_update",
        changes=changes,
        summary=_stored(gettext_noop("Duty changed: %(duty)s"), duty=obligation.description),
    )
    return obligation


# --- Work programme ------------------------------------------------------------------------------------------


def _task_title(obligation, occurrence):
    return f"{obligation.description} ({occurrence_label(obligation, occurrence)})"[:500]


def occurrence_label(obligation, occurrence):
    if obligation.cadence == Cadence.MONTHLY:
        return _stored(gettext_noop("month %(period)s"), period=occurrence.label)
    if obligation.cadence == Cadence.QUARTERLY:
        return _stored(gettext_noop("quarter %(period)s"), period=occurrence.label)
    if obligation.cadence in (Cadence.YEARLY, Cadence.ONCE):
        return _stored(gettext_noop("year %(period)s"), period=occurrence.label)
    return _stored(gettext_noop("session opening %(date)s"), date=occurrence.label)


def _in_year(task, year):
    return task.period_key.startswith(str(year)) or (task.period_key.startswith("S") and task.due_date.year == year)


@transaction.atomic
def tasks_generate(*, charter, year, actor=None, today=None):
    """Create `year`'s tasks from the in-force charter's active obligations.

    Idempotent: an occurrence that already has its task (unique per obligation and period) creates nothing.
    When an obligation changed, only its OPEN tasks due after today are brought in line (done, cancelled
    and past tasks are history); open future tasks whose occurrence disappeared, or whose obligation was
    deactivated, are cancelled. Returns {"created", "updated", "cancelled"}.
    """
    if actor is not None:  # None: the yearly job, the command or the demo (a system operation, audited as such)
        ensure(permissions.can_change_status(actor, charter))
    if charter.status != CharterStatus.IN_FORCE:
        raise ValidationError(
            _("Tasks are generated only from a charter in force; this one is %(status)s.")
            % {"status": charter.get_status_display()}
        )
    today = today or _today()
    counts = {"created": 0, "updated": 0, "cancelled": 0}
    obligations = list(
        Obligation.objects.filter(article__charter=charter)
        .select_related("article", "article__area", "responsible_agency", "deadline_rule")
        .prefetch_related("article__supporting_agencies")
    )
    needs_sessions = any(o.cadence in (Cadence.EACH_SESSION, Cadence.RULE) for o in obligations if o.is_active)
    sessions = council_sessions(charter.unit, year) if needs_sessions else []
    existing = {}
    for task in Task.objects.filter(obligation__in=obligations).select_related("responsible_agency", "area", "article"):
        existing[(task.obligation_id, task.period_key)] = task

    new_tasks = []
    for obligation in obligations:
        article = obligation.article
        wanted = {}
        if obligation.is_active:
            for occurrence in obligation_occurrences(obligation, year, sessions=sessions, unit=charter.unit):
                if charter.effective_from and occurrence.due_date < charter.effective_from:
                    continue
                wanted[occurrence.period_key] = occurrence
        for key, occurrence in wanted.items():
            values = {
                "title": _task_title(obligation, occurrence),
                "due_date": occurrence.due_date,
                "responsible_agency": obligation.responsible_agency,
                "area": article.area,
                "article": article,
            }
            task = existing.get((obligation.pk, key))
            if task is None:
                new_tasks.append(
                    Task(
                        unit_id=charter.unit_id,
                        charter=charter,
                        obligation=obligation,
                        period_key=key,
                        origin=TaskOrigin.PLANNED,
                        created_by=actor if getattr(actor, "is_authenticated", False) else None,
                        **values,
                    )
                )
                continue
            if task.status != TaskStatus.OPEN or task.due_date <= today:
                continue
            before = snapshot(task, TASK_FIELDS)
            for name, value in values.items():
                setattr(task, name, value)
            changes = diff(before, snapshot(task, TASK_FIELDS))
            if changes:
                task.version += 1
                task.save(update_fields=[*values, "version", "updated_at"])
                audit_record(
                    actor=actor,
                    obj=task,
                    action="regenerate",
                    changes=changes,
                    summary=_stored(gettext_noop("Updated from the changed duty")),
                )
                counts["updated"] += 1
        for (obligation_id, key), task in existing.items():
            if obligation_id != obligation.pk or key in wanted or not _in_year(task, year):
                continue
            if task.status == TaskStatus.OPEN and task.due_date > today:
                task.status = TaskStatus.CANCELLED
                task.version += 1
                task.save(update_fields=["status", "version", "updated_at"])
                audit_record(
                    actor=actor,
                    obj=task,
                    action="cancel",
                    changes={"status": ["open", "cancelled"]},
                    summary=_stored(gettext_noop("The duty no longer calls for this task")),
                )
                counts["cancelled"] += 1

    # Both SQLite (3.35+) and PostgreSQL return the new primary keys from bulk_create.
    created = Task.objects.bulk_create(new_tasks)
    through = Task.supporting_agencies.through
    supporters = {o.article_id: list(o.article.supporting_agencies.all()) for o in obligations}
    through.objects.bulk_create(
        through(task_id=task.pk, agency_id=agency.pk)
        for task in created
        for agency in supporters.get(task.article_id, ())
        if agency.pk != task.responsible_agency_id
    )
    for task in created:
        audit_record(
            actor=actor,
            obj=task,
            action="create",
            changes={"due_date": task.due_date, "origin": task.origin},
            summary=_stored(gettext_noop("Generated from the charter's work programme")),
        )
    counts["created"] = len(created)
    if any(counts.values()):
        audit_record(
            actor=actor,
            obj=charter,
            action="tasks_generate",
            changes={"year": year, **counts},
            summary=_stored(
                gettext_noop(
                    "Work programme %(year)s: %(created)s created, %(updated)s updated, %(cancelled)s cancelled"
                ),
                year=year,
                **counts,
            ),
        )
    return counts


def _check_task_agencies(unit, responsible_agency, supporting_agencies):
    for agency in [responsible_agency, *supporting_agencies]:
        if agency.unit_id != unit.pk and agency.unit.parent_id != unit.pk:
            raise ValidationError(
                _("%(agency)s is not an agency of %(unit)s or of a unit under it.") % {"agency": agency, "unit": unit}
            )


@transaction.atomic
def task_create(
    *,
    actor,
    unit,
    title,
    responsible_agency,
    due_date,
    origin=TaskOrigin.ARISING,
    charter=None,
    article=None,
    area=None,
    supporting_agencies=(),
    idempotency_token=None,
):
    """A task entered by hand (planned or arising) or from a meeting conclusion (origin "conclusion")."""
    ensure(permissions.can_create_task(actor) and can_see_unit(actor, unit.pk))
    if idempotency_token:
        existing = Task.objects.filter(idempotency_token=idempotency_token).first()
        if existing is not None:
            return existing
    if article is not None:
        if charter is None:
            charter = article.charter
        elif article.charter_id != charter.pk:
            raise ValidationError({"article": _("The article belongs to another charter.")})
        area = area or article.area
    if charter is not None and charter.unit_id != unit.pk:
        raise ValidationError({"charter": _("The charter belongs to another unit.")})
    supporting_agencies = [agency for agency in supporting_agencies if agency.pk != responsible_agency.pk]
    _check_task_agencies(unit, responsible_agency, supporting_agencies)
    task = Task(
        unit=unit,
        title=title.strip(),
        responsible_agency=responsible_agency,
        due_date=due_date,
        origin=origin,
        charter=charter,
        article=article,
        area=area,
        idempotency_token=idempotency_token or None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    task.full_clean()
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:
        if idempotency_token:
            return Task.objects.get(idempotency_token=idempotency_token)
        raise
    task.supporting_agencies.set(supporting_agencies)
    audit_record(
        actor=actor,
        obj=task,
        action="create",
        changes={
            **snapshot(task, [*TASK_FIELDS, "origin"]),
            "supporting_agencies": [str(agency) for agency in supporting_agencies],
        },
        summary=_stored(gettext_noop("Task created")),
    )
    return task


def _ensure_open(task):
    if task.status != TaskStatus.OPEN:
        raise ValidationError(
            _("This task is %(status)s and can no longer change.") % {"status": task.get_status_display()}
        )


@transaction.atomic
def task_update(*, actor, task, version, supporting_agencies=None, **fields):
    """Edit an open task's title, due date, area, article or agencies."""
    ensure(permissions.may_work_on_task(actor, task))
    _ensure_open(task)
    _claim_version(Task, task, version)
    before = snapshot(task, TASK_FIELDS)
    before["supporting_agencies"] = [str(agency) for agency in task.supporting_agencies.all()]
    for name in TASK_FIELDS:
        if name in fields:
            setattr(task, name, fields[name])
    if task.article_id and task.charter_id and task.article.charter_id != task.charter_id:
        raise ValidationError({"article": _("The article belongs to another charter.")})
    supporters = list(supporting_agencies) if supporting_agencies is not None else list(task.supporting_agencies.all())
    supporters = [agency for agency in supporters if agency.pk != task.responsible_agency_id]
    _check_task_agencies(task.unit, task.responsible_agency, supporters)
    task.full_clean(exclude=["idempotency_token"])
    task.save(update_fields=[*TASK_FIELDS, "updated_at"])
    task.supporting_agencies.set(supporters)
    after = snapshot(task, TASK_FIELDS)
    after["supporting_agencies"] = [str(agency) for agency in supporters]
    audit_record(
        actor=actor,
        obj=task,
        action="update",
        changes=diff(before, after),
        summary=_stored(gettext_noop("Task edited")),
    )
    return task


@transaction.atomic
def task_complete(*, actor, task, completed_on, version, evidence_note="", evidence_link="", evidence_file=None):
    """Mark a task done with its evidence. On time or late is derived from the completion and due dates."""
    ensure(permissions.may_work_on_task(actor, task))
    _ensure_open(task)
    if completed_on > _today():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    if not (evidence_note.strip() or evidence_link.strip() or evidence_file):
        raise ValidationError(_("Give the evidence of completion: a note, a link or a file."))
    if evidence_file:
        validate_pdf_upload(evidence_file)
    _claim_version(Task, task, version)
    task.status = TaskStatus.DONE
    task.completed_on = completed_on
    task.evidence_note = evidence_note.strip()
    task.evidence_link = evidence_link.strip()
    update_fields = ["status", "completed_on", "evidence_note", "evidence_link", "updated_at"]
    if evidence_file:
        task.evidence_file.save(f"task-{task.pk}.pdf", evidence_file, save=False)
        update_fields.append("evidence_file")
    task.full_clean(exclude=["idempotency_token"])
    task.save(update_fields=update_fields)
    on_time = completed_on <= task.due_date
    audit_record(
        actor=actor,
        obj=task,
        action="complete",
        changes={"status": ["open", "done"], "completed_on": completed_on, "on_time": on_time},
        summary=_stored(gettext_noop("Done on time")) if on_time else _stored(gettext_noop("Done late")),
    )
    return task


@transaction.atomic
def task_cancel(*, actor, task, version, reason=""):
    ensure(permissions.may_work_on_task(actor, task))
    _ensure_open(task)
    _claim_version(Task, task, version)
    task.status = TaskStatus.CANCELLED
    task.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        obj=task,
        action="cancel",
        changes={"status": ["open", "cancelled"], "reason": reason},
        summary=reason or _stored(gettext_noop("Task cancelled")),
    )
    return task


# --- Work programmes -----------------------------------------------------------------------------------------

PROGRAMME_FIELDS = ["unit", "year", "number", "issued_on", "issuer", "title", "theme", "charter"]


@transaction.atomic
def work_programme_create(
    *, actor, unit, year, number, issued_on, issuer, title, theme="", charter=None, idempotency_token=None
):
    """Record an annual work programme (the document: number, date, issuer, theme); its items come by import."""
    ensure(permissions.can_manage_programmes(actor, unit.pk))
    if idempotency_token:
        existing = WorkProgramme.objects.filter(idempotency_token=idempotency_token).first()
        if existing is not None:
            return existing
    programme = WorkProgramme(
        unit=unit,
        year=year,
        number=number.strip(),
        issued_on=issued_on,
        issuer=issuer,
        title=title.strip(),
        theme=theme.strip(),
        charter=charter,
        idempotency_token=idempotency_token or None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    programme.full_clean()
    programme.save()
    audit_record(
        actor=actor,
        obj=programme,
        action="create",
        changes=snapshot(programme, PROGRAMME_FIELDS),
        summary=_stored(gettext_noop("Work programme recorded")),
    )
    return programme


def work_programme_items_create_many(*, actor, programme, rows):
    """Write the checked rows as the programme's tasks in a few bulk INSERTs (what `task_create` would write
    one by one), inside the caller's transaction. Returns the tasks."""
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    tasks = [
        Task(
            unit=programme.unit,
            programme=programme,
            charter=programme.charter if programme.charter_id else (row["article"].charter if row["article"] else None),
            article=row["article"],
            area=row["area"] or (row["article"].area if row["article"] else None),
            title=row["title"],
            responsible_agency=row["responsible"],
            due_date=row["due_date"],
            due_in_month=row["due_in_month"],
            origin=row["origin"],
            created_by=created_by,
        )
        for row in rows
    ]
    Task.objects.bulk_create(tasks, batch_size=1000)
    links = [
        Task.supporting_agencies.through(task_id=task.pk, agency_id=agency.pk)
        for task, row in zip(tasks, rows, strict=True)
        for agency in row["supporting"]
    ]
    Task.supporting_agencies.through.objects.bulk_create(links, batch_size=1000)
    return tasks


@transaction.atomic
def work_programme_import_xlsx(*, actor, programme, upload):
    """Import a programme's items from an .xlsx file: every row is checked first; one bad row imports nothing.
    One audit entry for the import (on the programme), not one per item.

    Returns an `ImportReport`; its `created` is empty whenever it has errors."""
    from coordination.spreadsheets import ImportReport

    from .importing import import_parse

    ensure(permissions.can_manage_programmes(actor, programme.unit_id))
    programme = (
        WorkProgramme.objects.select_for_update(of=("self",)).select_related("unit", "charter").get(pk=programme.pk)
    )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 16), b""):
        digest.update(chunk)
    upload.seek(0)
    digest = digest.hexdigest()
    if digest in programme.imported_files:
        report = ImportReport()
        report.error(None, "", _("This file was already imported into this programme; it is not imported again."))
        return report
    report = import_parse(upload, programme=programme)
    if report.errors:
        return report
    programme.imported_files = [*programme.imported_files, digest]
    programme.save(update_fields=["imported_files", "updated_at"])
    for row in report.rows:
        _check_task_agencies(programme.unit, row["responsible"], row["supporting"])
    report.created = work_programme_items_create_many(actor=actor, programme=programme, rows=report.rows)
    planned = sum(1 for row in report.rows if row["origin"] == TaskOrigin.PLANNED)
    file_name = (getattr(upload, "name", "") or "")[-255:]
    audit_record(
        actor=actor,
        obj=programme,
        action="import",
        changes={"file_name": file_name, "items": len(report.rows), "planned": planned},
        summary=_stored(gettext_noop("%(count)s items imported from %(file)s"), count=len(report.rows), file=file_name),
    )
    return report
