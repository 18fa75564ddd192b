"""The citizens' pages: answered and published petitions per province and commune (redacted), their figures, the
lookup of one's own petition by the receipt's reference and code, and the open data. No sign-in; every page is
cached briefly and rate-limited per address; petitions are read only through `voters.selectors`."""

import csv
import datetime
import io
import json
import re

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from coordination.models import AdministrativeUnit, UnitLevel
from coordination.text import vietnamese_sorted
from coordination.units import unit_name_sort_key, unit_scope_ids, units_sorted
from voters import selectors as petitions
from voters.redaction import redact

from .throttle import cached_page, rate_exceeded, throttled, too_many_requests

PAGE_SIZE = 20
COUNT_CAP = 10_000  # "more than 10,000": the exact count of a million rows is not worth its scan
QUERY_MAX = 100
FIRST_YEAR = 2000
_CODE = re.compile(r"[\w-]{1,20}")
_AFTER = re.compile(r"(\d{4}-\d{2}-\d{2})\.(\d{1,12})")


def public_page(view):
    """GET only, no sign-in, throttled per address (PUBLIC_RATE), then cached (PUBLIC_CACHE_SECONDS)."""
    return login_not_required(require_GET(throttled("pages", "PUBLIC_RATE")(cached_page(view))))


def _clean(value, limit=QUERY_MAX):
    """A query parameter as text the database accepts: no NUL, no control characters, bounded length."""
    return "".join(ch for ch in str(value or "") if ch.isprintable())[:limit].strip()


def _int(value, low, high):
    try:
        number = int(_clean(value, 12))
    except ValueError:
        return None
    return number if low <= number <= high else None


def _unit_or_404(code):
    if not _CODE.fullmatch(code or ""):
        raise Http404
    unit = AdministrativeUnit.objects.filter(code=code).select_related("parent", "successor").first()
    if unit is None:
        raise Http404
    return unit


def _scope(unit):
    """The units whose petitions a unit's page lists, as (unit ids, commune ids): a province with its communes
    (and legacy districts and their communes); a commune alone, plus the province's petitions raised in it
    (`commune_ids`); each with the former units merged into it (`coordination.units.unit_scope_ids`: one query
    whatever their number)."""
    ids = unit_scope_ids(unit)
    return ids, (None if unit.level == UnitLevel.PROVINCE else ids)


def _former_units(unit_ids):
    """The former units (merged into another by the 2025 reorganisation) among `unit_ids`, to name on the page."""
    return units_sorted(
        AdministrativeUnit.objects.filter(pk__in=unit_ids, successor__isnull=False).only(
            "code", "name", "level", "dissolved_on", "successor_id"
        )
    )


def _province_of(unit):
    while unit.parent_id is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    return unit


def _period(params):
    year = _int(params.get("year"), FIRST_YEAR, 2100)
    quarter = _int(params.get("quarter"), 1, 4) if year else None
    if not year:
        return None, None, None, None
    if quarter:
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = (
            datetime.date(year, 12, 31)
            if quarter == 4
            else datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
        )
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return year, quarter, start, end


def _years():
    return list(range(timezone.localdate().year, FIRST_YEAR + 19, -1))


def _public_row(row):
    return {
        "reference": row.reference,
        "content": redact(row.content),
        "field": row.get_field_display(),
        "place": row.commune.name if row.commune_id else row.unit.name,
        "meeting": redact(row.meeting.title) if row.meeting_id else "",
        "agency": row.lead_agency.name if row.lead_agency_id else "",
        "answer": redact(row.answer_text or ""),
        "document_number": redact(row.answer_document_number or ""),
        "answered_on": row.answered_on,
        "due_date": row.due_date,
        "on_time": row.is_answered_on_time,
        "outcome": row.get_outcome_display() if row.outcome else "",
    }


@public_page
def index(request):
    provinces = units_sorted(AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, is_active=True))
    # The former provinces each one took in on 1 July 2025, named beside it: a citizen of Bắc Kạn finds Thái Nguyên.
    former = {}
    for name, successor_id in AdministrativeUnit.objects.filter(
        level=UnitLevel.PROVINCE, successor__isnull=False
    ).values_list("name", "successor_id"):
        former.setdefault(successor_id, []).append(name)
    rows = [(province, vietnamese_sorted(former.get(province.pk, []))) for province in provinces]
    return render(request, "public/index.html", {"provinces": rows})


@public_page
def unit_page(request, code):
    unit = _unit_or_404(code)
    unit_ids, commune_ids = _scope(unit)
    base = petitions.published_petitions(unit_ids=unit_ids, commune_ids=commune_ids)
    params = request.GET
    query = _clean(params.get("q"))
    field = _clean(params.get("field"), 30)
    field = field if field in petitions.Field.values else ""
    meeting_options = petitions.published_meetings(base)
    meeting = _int(params.get("meeting"), 1, 2**31 - 1)
    meeting = meeting if meeting in {row[0] for row in meeting_options} else None
    year, quarter, start, end = _period(params)

    queryset = base
    if field:
        queryset = queryset.filter(field=field)
    if meeting:
        queryset = queryset.filter(meeting_id=meeting)
    if start:
        queryset = queryset.filter(answered_on__gte=start, answered_on__lte=end)
    if query:
        queryset = petitions.published_search(queryset, query)
    total = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()

    after = _AFTER.fullmatch(_clean(params.get("after"), 30))
    page_queryset = queryset
    if after:
        try:
            day = datetime.date.fromisoformat(after.group(1))
        except ValueError:
            day = None
        if day is not None:
            pk = int(after.group(2))
            page_queryset = queryset.filter(Q(answered_on__lt=day) | Q(answered_on=day, pk__lt=pk))
    rows = list(page_queryset[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    kept = {
        name: value
        for name, value in (("q", query), ("field", field), ("meeting", meeting), ("year", year), ("quarter", quarter))
        if value
    }
    next_url = ""
    if more:
        last = rows[-1]
        next_url = "?" + urlencode({**kept, "after": f"{last.answered_on.isoformat()}.{last.pk}"})
    children = []
    if unit.level == UnitLevel.PROVINCE:
        children = units_sorted(AdministrativeUnit.objects.filter(parent=unit, is_active=True))
    return render(
        request,
        "public/unit.html",
        {
            "unit": unit,
            "province": _province_of(unit),
            "children": children,
            "former_units": _former_units([pk for pk in unit_ids if pk != unit.pk]),
            "rows": [_public_row(row) for row in rows],
            "total": total,
            "total_capped": total > COUNT_CAP,
            "count_cap": COUNT_CAP,
            "next_url": next_url,
            "first_url": ("?" + urlencode(kept)) if after else "",
            "filters": {"q": query, "field": field, "meeting": meeting, "year": year, "quarter": quarter},
            "filtered": bool(kept),
            "fields": petitions.Field.choices,
            "meetings": [(pk, redact(title), starts_at) for pk, title, starts_at in meeting_options],
            "years": _years(),
        },
    )


@public_page
def figures(request, code):
    unit = _unit_or_404(code)
    unit_ids, _communes = _scope(unit)
    year = _int(request.GET.get("year"), FIRST_YEAR, 2100) or timezone.localdate().year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = list(petitions.public_figures(unit_ids=unit_ids, start=start, end=end))
    names = dict(AdministrativeUnit.objects.filter(pk__in={row["place_id"] for row in rows}).values_list("pk", "name"))

    def blank():
        return {"received": 0, "answered": 0, "on_time": 0}

    by_place, by_field, total = {}, {}, blank()
    for row in rows:
        place, field = by_place.setdefault(row["place_id"], blank()), by_field.setdefault(row["field"], blank())
        for bucket in (place, field, total):
            for measure in ("received", "answered", "on_time"):
                bucket[measure] += row[measure]

    def with_rate(label, figures_):
        rate = round(100 * figures_["on_time"] / figures_["answered"]) if figures_["answered"] else None
        return {"label": label, **figures_, "rate": rate}

    place_rows = sorted(  # as the communes are listed: by proper name, in Vietnamese order
        (with_rate(names.get(pk, "—"), value) for pk, value in by_place.items()),
        key=lambda item: unit_name_sort_key(item["label"]),
    )
    field_rows = [with_rate(label, by_field[value]) for value, label in petitions.Field.choices if value in by_field]
    chart = {
        "labels": [row["label"] for row in field_rows],
        "series": {
            "received": [row["received"] for row in field_rows],
            "answered": [row["answered"] for row in field_rows],
            "on_time": [row["on_time"] for row in field_rows],
        },
        "names": {"received": _("Received"), "answered": _("Answered"), "on_time": _("Answered on time")},
    }
    return render(
        request,
        "public/figures.html",
        {
            "unit": unit,
            "province": _province_of(unit),
            "year": year,
            "years": _years(),
            "place_rows": place_rows,
            "field_rows": field_rows,
            "total": with_rate(_("Total"), total),
            "chart": chart,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def lookup(request):
    """The receipt's holder types its reference and code; a wrong reference or code answers exactly as a petition
    that does not exist. Every attempt counts against the address's PUBLIC_LOOKUP_RATE."""
    posted = request.method == "POST"
    bucket, rate = ("lookup", settings.PUBLIC_LOOKUP_RATE) if posted else ("pages", settings.PUBLIC_RATE)
    if rate_exceeded(request, bucket, rate):
        return too_many_requests(request, rate)
    state, searched = None, False
    reference, code = "", ""
    if request.method == "POST":
        searched = True
        reference = _clean(request.POST.get("reference"), 20)
        code = _clean(request.POST.get("code"), 20)
        if reference and code:
            state = petitions.petition_public_state(reference=reference, code=code)
    response = render(
        request,
        "public/lookup.html",
        {"state": state, "searched": searched, "reference": reference},
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


# --- open data ---------------------------------------------------------------------------------------------

OPEN_DATA_COLUMNS = (
    ("reference", gettext_lazy("Reference of the petition (KN-000123).")),
    ("province", gettext_lazy("Province or city.")),
    ("unit", gettext_lazy("Unit whose office took the petition in (the province or a commune).")),
    ("commune", gettext_lazy("Commune or constituency where it was raised, if recorded.")),
    ("meeting", gettext_lazy("Voter-contact meeting or reception where it was raised, if any (redacted).")),
    ("meeting_date", gettext_lazy("Day of that meeting (YYYY-MM-DD).")),
    ("field", gettext_lazy("Field, as a code: %(codes)s.")),
    ("field_label", gettext_lazy("Field, in words.")),
    ("received_on", gettext_lazy("Day the petition was received (YYYY-MM-DD).")),
    ("agency", gettext_lazy("Competent agency that answered.")),
    ("due_date", gettext_lazy("Day the answer was due (YYYY-MM-DD), if a due date was set.")),
    ("answered_on", gettext_lazy("Day of the answer (YYYY-MM-DD).")),
    ("on_time", gettext_lazy("Whether the answer came on or before the due date (true/false).")),
    ("outcome", gettext_lazy("Outcome: resolved, in_progress_with_plan, explained, not_feasible.")),
    ("content", gettext_lazy("What the voters raised, with personal data masked.")),
    ("answer", gettext_lazy("The answer's text, with personal data masked.")),
    ("answer_document_number", gettext_lazy("Number of the answering document.")),
    ("answer_document_date", gettext_lazy("Date of the answering document (YYYY-MM-DD).")),
)


def _open_data_record(row, province):
    def day(value):
        return value.isoformat() if value else ""

    return {
        "reference": row.reference,
        "province": province.name,
        "unit": row.unit.name,
        "commune": row.commune.name if row.commune_id else "",
        "meeting": redact(row.meeting.title) if row.meeting_id else "",
        "meeting_date": day(timezone.localtime(row.meeting.starts_at).date()) if row.meeting_id else "",
        "field": row.field,
        "field_label": str(row.get_field_display()),
        "received_on": day(row.received_on),
        "agency": row.lead_agency.name if row.lead_agency_id else "",
        "due_date": day(row.due_date),
        "answered_on": day(row.answered_on),
        "on_time": row.is_answered_on_time,
        "outcome": row.outcome,
        "content": redact(row.content),
        "answer": redact(row.answer_text or ""),
        "answer_document_number": redact(row.answer_document_number or ""),
        "answer_document_date": day(row.answer_document_date),
    }


def _csv_stream(rows, province):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # BOM: Excel opens the UTF-8 file with its Vietnamese letters intact
    writer.writerow([name for name, _text in OPEN_DATA_COLUMNS])
    for index, row in enumerate(rows, start=1):
        record = _open_data_record(row, province)
        writer.writerow(["true" if v is True else "false" if v is False else v for v in record.values()])
        if index % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_stream(rows, province, year):
    head = {"province": province.name, "province_code": province.code, "year": year, "licence": "CC BY 4.0"}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(_open_data_record(row, province), ensure_ascii=False)
    yield "]}"


@login_not_required
@require_GET
@throttled("downloads", "PUBLIC_DOWNLOAD_RATE")
def download(request, code, year, fmt):
    """The published answers of a province answered in `year`, streamed as CSV (UTF-8 with BOM) or JSON."""
    province = _unit_or_404(code)
    if province.level != UnitLevel.PROVINCE or not FIRST_YEAR <= year <= 2100 or fmt not in ("csv", "json"):
        raise Http404
    unit_ids, _communes = _scope(province)
    rows = petitions.public_open_data(unit_ids=unit_ids, year=year).iterator(chunk_size=2000)
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(rows, province), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_stream(rows, province, year), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="kien-nghi-cu-tri-{province.code}-{year}.{fmt}"'
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response


@public_page
def open_data(request):
    provinces = units_sorted(AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, is_active=True))
    codes = ", ".join(petitions.Field.values)
    columns = [
        (name, str(text) % {"codes": codes} if "%(codes)s" in str(text) else text) for name, text in OPEN_DATA_COLUMNS
    ]
    chosen = _clean(request.GET.get("province"), 20)
    year = _int(request.GET.get("year"), FIRST_YEAR, 2100)
    links = []
    if chosen and year and _CODE.fullmatch(chosen):
        province = next((province for province in provinces if province.code == chosen), None)
        if province is not None:
            links = [
                (fmt.upper(), reverse("public:download", args=[province.code, year, fmt])) for fmt in ("csv", "json")
            ]
    return render(
        request,
        "public/open_data.html",
        {"provinces": provinces, "columns": columns, "years": _years(), "links": links, "chosen": chosen, "year": year},
    )
