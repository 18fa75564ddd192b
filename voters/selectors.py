"""Reads of voter petitions, shaped for the pages that use them."""

import datetime
import re
import time

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Prefetch, Q, Value
from django.utils import timezone

from coordination.audit import audit_events_for
from coordination.models import Agency
from coordination.text import fold, search_terms, trigram_similarity

from .models import (
    AWAITING_ANSWER,
    NOT_YET_FORWARDED,
    Answer,
    Evaluation,
    EvaluationResult,
    Forwarding,
    Petition,
    PetitionQuerySet,
    Status,
)
from .models import Field as Field  # re-exported: choice enums the aggregators read
from .models import Source as Source
from .permissions import petition_get_for, petitions_visible_to, with_personal_data_flag

LIST_RELATED = ("unit", "originating_agency", "lead_agency", "meeting", "commune")
# What one row of the list page reads (the export uses LIST_RELATED): the columns it shows, so 50 rows do not
# load and convert every meeting's and agency's columns (a deferred column read later would be a query per
# row: tests/voters/test_query_counts.py counts them).
ROW_RELATED = ("lead_agency", "meeting", "commune")
ROW_COLUMNS = (
    "id",
    "status",
    "field",
    "received_on",
    "due_date",
    "content",
    "voter_name",
    "locality",
    "flagged_for_supervision",
    "originating_agency_id",
    "primary_id",
    "lead_agency__name",
    "lead_agency__short_name",
    "meeting__title",
    "commune__name",
)


def petition_list(user):
    """The petitions the user may see, with what the list and the export show in one query."""
    queryset = petitions_visible_to(user).select_related(*LIST_RELATED)
    return with_personal_data_flag(queryset, user)


def petition_rows(user, ids):
    """The petitions `ids` as the list page shows them, in the order of `ids`: one query by primary key.

    The ids come from the user's filtered, ordered list (`IdsFirstPaginator`), so they are already
    visible to the user; only the personal-data flag is computed here."""
    if not ids:
        return []
    queryset = Petition.objects.filter(pk__in=ids).select_related(*ROW_RELATED).only(*ROW_COLUMNS)
    by_id = {petition.pk: petition for petition in with_personal_data_flag(queryset.order_by(), user)}
    return [by_id[pk] for pk in ids if pk in by_id]


# "KN-000123", "kn 123", "KN000123": a petition's reference, looked up by its id.
_REFERENCE = re.compile(r"^kn[\s-]*0*(\d{1,15})$")
# The words of a folded text as PostgreSQL's parser splits them for the full-text index: letters and digits.
_WORDS = re.compile(r"[^\W_]+")
# A search names at most this many words (the rest are ignored): each one is a term of the text query.
SEARCH_WORDS = 8
# The last word typed, from this many letters, also finds the words it begins ("xuon" finds "xuống").
SEARCH_PREFIX_MIN = 2


def search_words(query):
    """The folded words a search looks for: letters and digits only, so they are safe inside a tsquery."""
    return _WORDS.findall(fold(query))[:SEARCH_WORDS]


def search_prefix(words):
    """The word of a search matched as the beginning of a word (the last one typed, as users type), or None
    when it is too short to narrow anything (a single letter stays a whole word)."""
    return words[-1] if words and len(words[-1]) >= SEARCH_PREFIX_MIN else None


def search_reference(query):
    """The petition id a search names when it is a reference (KN-000123), else None."""
    match = _REFERENCE.match(fold(query))
    return int(match.group(1)) if match else None


class FoldedTextMatches(Func):
    """`search_vector @@ to_tsquery('simple', 'w1 & w2')` on PostgreSQL: every word is a word of the folded
    text, through the GIN index of the stored `to_tsvector('simple', search_text)` column (migration
    0007_petition_search_fulltext). ANALYZE keeps statistics of its words, so the planner knows "nghi" is in
    most petitions (it walks the received-date index and stops after one page) and a rare word in few (it
    starts from the full-text index).

    With `prefix`, also a word beginning with it ("xuon:*"): through the index when the prefix is rare, as a
    condition checked on each row read otherwise (`ts_match_vq`, the function behind `@@`, which no index
    serves). The planner cannot tell a common prefix from a rare one (it guessed 7 % of the petitions for
    "xuon:*", and a bitmap of every word beginning "pha" took 0.7 s for a province at 1M), so
    `prefix_is_common` decides from its statistics of whole words; a common prefix then costs the rows read
    until a page of matches is found, which are dense."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, words, prefix=None):
        self.filter_query = None
        terms = list(words)
        if prefix and prefix_is_common(prefix):
            self.filter_query = f"{prefix}:*"
        elif prefix:
            terms.append(f"{prefix}:*")
        self.tsquery = " & ".join(terms)
        super().__init__(F("search_text"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        # The generated column next to search_text (same table alias), unknown to the model.
        vector = column[: -len('"search_text"')] + '"search_vector"'
        conditions, arguments = [], []
        for function, tsquery in (("{} @@ {}", self.tsquery), ("ts_match_vq({}, {})", self.filter_query)):
            if tsquery:
                conditions.append(function.format(vector, "to_tsquery('simple'::regconfig, %s)"))
                arguments.extend([*params, tsquery])
        return "(" + " AND ".join(conditions) + ")", arguments


# A prefix is common when the words it begins are in this share of the petitions or more (PostgreSQL's own
# statistics of the search column, `pg_stats.most_common_elems`, refreshed by ANALYZE), read at most this often.
COMMON_PREFIX_SHARE = 0.01
COMMON_WORDS_SECONDS = 600
_common_words = {"at": None, "words": {}}


def prefix_is_common(prefix):
    """Whether the words beginning with `prefix` are in at least COMMON_PREFIX_SHARE of the petitions."""
    now = time.monotonic()
    if _common_words["at"] is None or now - _common_words["at"] > COMMON_WORDS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'voters_petition' AND attname = 'search_vector' ORDER BY schemaname = "
                "current_schema() DESC LIMIT 1"
            )
            row = cursor.fetchone()
        words, shares = (row or (None, None))[:2]
        _common_words["words"] = dict(zip(words or (), shares or (), strict=False))
        _common_words["at"] = now
    share = sum(value for word, value in _common_words["words"].items() if word.startswith(prefix))
    return share >= COMMON_PREFIX_SHARE


# `petition_search(mode=…)`: "auto" tries whole words and, when they match nothing, the last word as a prefix (one
# EXISTS query decides); the petition list does the two steps itself ("words", then "prefix" only when its own
# bounded read of the whole-word matches came back empty), so a search whose words are found runs no EXISTS.
SEARCH_AUTO, SEARCH_WORDS_ONLY, SEARCH_PREFIX = "auto", "words", "prefix"


def search_may_fall_back_to_prefix(query):
    """Whether `petition_search(query, mode="words")` differs from mode "auto": the last word may be a prefix."""
    if connection.vendor != "postgresql" or search_reference(query) is not None:
        return False
    return search_prefix(search_words(query)) is not None


def petition_search(queryset, query, mode=SEARCH_AUTO):
    """Accent-insensitive search ("tiep xuc cu tri" finds "tiếp xúc cử tri"): a reference finds its
    petition; otherwise every folded word must be a word of the folded text (PostgreSQL: full-text index
    over the folded text); when they are found nowhere in `queryset`, the last word typed may be the
    beginning of a word ("xuon" finds "xuống", "tiep xu" finds "tiếp xúc"): whole words first, so a word
    typed in full ("phà") is not drowned by the words it begins ("pháp", "phát"). SQLite, the embedded
    default, looks for the words anywhere in the text."""
    reference = search_reference(query)
    if reference is not None:
        return queryset.filter(pk=reference)
    words = search_words(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        matches = queryset.filter(FoldedTextMatches(words))
        prefix = search_prefix(words)
        if prefix is None or mode == SEARCH_WORDS_ONLY:
            return matches
        if mode == SEARCH_AUTO and matches.exists():
            return matches
        return queryset.filter(FoldedTextMatches(words[:-1], prefix=prefix))
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def petition_detail(user, pk):
    """One petition with its forwardings, answers, evaluations and group, for the detail page."""
    # No personal-data flag annotation here: the prefetched forwardings answer it (`handled_by`) without the
    # two EXISTS sub-plans, and planning this 8-table join was most of the page's SQL time.
    queryset = Petition.objects.select_related(*LIST_RELATED, "primary", "created_by").prefetch_related(
        Prefetch(
            "forwardings",
            queryset=Forwarding.objects.select_related(
                "agency", "forwarded_by", "acknowledged_by", "returned_by"
            ).prefetch_related("supporting_agencies"),
        ),
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("agency", "answered_by").prefetch_related("attachments"),
        ),
        "evaluations__agency",
        Prefetch("duplicates", queryset=Petition.objects.select_related("originating_agency", "meeting")),
    )
    return petition_get_for(user, pk, queryset=queryset)


def petition_timeline(petition):
    return audit_events_for(petition)


def petitions_for_meeting(meeting):
    """The petitions raised at `meeting`, newest first (for the meeting's page)."""
    return (
        Petition.objects.filter(meeting=meeting)
        .select_related("originating_agency", "lead_agency")
        .order_by("-received_on", "-id")
    )


def petition_counts(queryset, today=None):
    """Awaiting answer (first answers and re-answers), overdue, due soon and re-answers requested, in one
    query over the (unit, status, due_date) index: only rows awaiting an answer are read, never the whole
    table. "Overdue" is `petition_measure_q("overdue")`, the dashboard's and the digest's definition."""

    today = today or timezone.localdate()
    # Counting rows / due dates rather than ids: every column read is then in that index, so PostgreSQL
    # answers from the index alone instead of visiting ~4,000 rows of a province (5-13 ms per list page at
    # 1,000,000 petitions). COUNT(due_date) equals COUNT(id) under filters that require a due date.
    return queryset.filter(status__in=AWAITING_ANSWER).aggregate(
        awaiting=Count("*"),
        overdue=Count("due_date", filter=PetitionQuerySet.q_overdue(today)),
        due_soon=Count("due_date", filter=PetitionQuerySet.q_due_soon(today)),
        reanswer=Count("status", filter=Q(status=Status.REANSWER)),
    )


def scope_label(start=None, end=None):
    """How a count's scope reads next to it ("năm 2026", "mọi năm", "01/03/2026 – 31/05/2026"): petitions
    received in that period. A figure shown in two places says its scope in both."""
    from django.utils.translation import gettext

    if start is None and end is None:
        return gettext("all years")
    if start and end and start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31):
        return gettext("year %(year)s") % {"year": start.year}
    if start and end:
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    if start:
        return gettext("from %(date)s") % {"date": start.strftime("%d/%m/%Y")}
    return gettext("until %(date)s") % {"date": end.strftime("%d/%m/%Y")}


def petition_place():
    """Where a petition was raised, for grouping by commune: the commune chosen, else the locality typed."""
    from django.db.models.functions import Coalesce, NullIf

    return Coalesce("commune__name", NullIf("locality", Value("")))


def petitions_of_agency(agency, start=None, end=None):
    """The petitions an agency's figures count (received or to answer), received between `start` and `end`:
    the dashboard's agency scope, the list's `agency` filter and the digest's figures."""
    queryset = Petition.objects.filter(Q(originating_agency=agency) | Q(lead_agency=agency))
    if start:
        queryset = queryset.filter(received_on__gte=start)
    if end:
        queryset = queryset.filter(received_on__lte=end)
    return queryset


def _tokens(text):
    return {word for word in fold(text).split() if len(word) > 1}


def similar_petitions(*, unit, text, exclude_pk=None, limit=5, threshold=None):
    """Petitions of `unit` whose text resembles `text`, most similar first, as (petition, score).

    PostgreSQL ranks with pg_trgm similarity (served by the trigram index); elsewhere a token-overlap
    score over the candidates sharing the rarest words is the fallback."""
    folded = fold(text)
    if len(folded) < 8:
        return []
    base = Petition.objects.filter(unit=unit).select_related("originating_agency", "meeting")
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rows = (
            base.annotate(score=TrigramSimilarity("search_text", folded))
            .filter(score__gte=0.3 if threshold is None else threshold)
            .order_by("-score", "-id")[:limit]
        )
        return [(row, round(row.score, 2)) for row in rows]
    # Word overlap counts the boilerplate every petition shares ("cử tri kiến nghị"), so ask for more.
    threshold = 0.4 if threshold is None else threshold
    wanted = _tokens(folded)
    if not wanted:
        return []
    longest = sorted(wanted, key=len, reverse=True)[:4]
    condition = Q()
    for word in longest:
        condition |= Q(search_text__contains=word)
    scored = []
    for row in base.filter(condition).order_by("-received_on", "-id")[:500]:
        other = _tokens(row.search_text)
        if not other:
            continue
        score = 2 * len(wanted & other) / (len(wanted) + len(other))  # Dice coefficient
        if score >= threshold:
            scored.append((row, round(score, 2)))
    scored.sort(key=lambda item: (-item[1], -item[0].pk))
    return scored[:limit]


# --- Measures of the leaders' dashboard -------------------------------------------------------------
# One definition of each figure, used both by the dashboard's counts (`Count(..., filter=...)`) and by
# the petition list's `measure` filter, so a number on the dashboard always equals the list it links to.
PETITION_MEASURES = (
    "forwarded",
    "answered",
    "answered_on_time",
    "answered_late",
    "overdue",
    "returned",
    "unsatisfactory",
    "reanswer_requested",
    "reanswered",
    "reanswered_on_time",
)


def petition_measure_q(name, today):
    """The condition of dashboard measure `name` as a `Q` on `Petition`.

    Forwarded: sent to a competent agency at least once (any state after classified). Answered: has an
    answer date (a reopened petition loses it). On time: answered on or before the due date (or without
    one), late and overdue: the `PetitionQuerySet` conditions themselves (`q_answered_on_time`, …).
    Returned: sent back at least once as the wrong authority. Unsatisfactory: an answer was judged so.
    Re-answer requested: waiting now for a new answer after an unsatisfactory judgement. Re-answered: a
    re-answer came in; on time: dated on or before the re-answer's own due date."""
    conditions = {
        "forwarded": ~Q(status__in=NOT_YET_FORWARDED),
        "answered": PetitionQuerySet.q_answered(),
        "answered_on_time": PetitionQuerySet.q_answered_on_time(),
        "answered_late": PetitionQuerySet.q_answered_late(),
        "overdue": PetitionQuerySet.q_overdue(today),
        "returned": Q(Exists(Forwarding.objects.filter(petition=OuterRef("pk"), returned_at__isnull=False))),
        # Judgements are few: one uncorrelated (hashed) subquery costs less than a probe per petition.
        "unsatisfactory": Q(
            pk__in=Evaluation.objects.filter(result=EvaluationResult.UNSATISFACTORY).values("petition_id")
        ),
        "reanswer_requested": Q(status=Status.REANSWER),
        "reanswered": Q(pk__in=Answer.objects.filter(is_reanswer=True).values("petition_id")),
        "reanswered_on_time": Q(
            pk__in=Answer.objects.filter(is_reanswer=True)
            .filter(Q(due_date__isnull=True) | Q(document_date__lte=F("due_date")))
            .values("petition_id")
        ),
    }
    return conditions[name]


BATCH_REPEAT_THRESHOLD = 0.6  # two rows of one batch this alike are most likely the same petition typed twice


def batch_duplicates(*, unit, rows):
    """Rows of a batch that may be duplicates, before they are saved: `rows` are (key, content) pairs; the
    answer maps a key to {"repeats": keys of earlier rows of the batch alike, "existing": [(petition,
    score)]}, for the rows with something to show only. Existing petitions are found by the single form's
    engine (`similar_petitions`), rows of the batch compared with pg_trgm's similarity computed in Python."""
    found = {}
    seen = []
    for key, content in rows:
        repeats = [earlier for earlier, text in seen if trigram_similarity(content, text) >= BATCH_REPEAT_THRESHOLD]
        existing = similar_petitions(unit=unit, text=content, limit=3)
        if repeats or existing:
            found[key] = {"repeats": repeats, "existing": existing}
        seen.append((key, content))
    return found


# --- reads for the aggregators (the dashboard, its summary, "waiting for you") --------------------------
# They return querysets, unevaluated, so that the aggregator groups and counts them in the same single
# query as before. `Field` and `Status` (choice enums) are re-exported from here for them.


def petitions_received_between(start, end, *conditions, agency=None, **filters):
    """Petitions received in [start, end], matching `conditions` (Q objects) and `filters` (e.g. `unit=`,
    `unit_id__in=`, `lead_agency_id__in=`); with `agency`, those it raised or leads (the petition list's
    agency filter)."""
    queryset = Petition.objects.filter(*conditions, received_on__gte=start, received_on__lte=end, **filters)
    if agency:
        queryset = queryset.filter(Q(originating_agency=agency) | Q(lead_agency=agency))
    return queryset


def petitions_all():
    """Every petition, unordered (the summary groups them; "waiting for you" filters them)."""
    return Petition.objects.order_by()


def petition_reference(pk):
    return Petition.reference_for(pk)


def petition_forwardings(**filters):
    """Forwardings (sendings to a lead agency, and their returns) matching `filters`."""
    return Forwarding.objects.filter(**filters)


def petition_evaluations(**filters):
    """Evaluations of answers matching `filters`."""
    return Evaluation.objects.filter(**filters)


def petition_answers(**filters):
    """Answers (and re-answers) matching `filters`."""
    return Answer.objects.filter(**filters)


# --- the citizens' pages (coordination.public) and open data ------------------------------------------
# Published answers only (`PetitionQuerySet.q_published`), never a personal field: the querysets below select
# the columns the public may read, and the pages redact the free text (`voters.redaction`).

PUBLIC_COLUMNS = (
    "id",
    "unit_id",
    "commune_id",
    "meeting_id",
    "field",
    "kind",
    "content",
    "received_on",
    "due_date",
    "answered_on",
    "outcome",
    "answer_published_at",
    "lead_agency__name",
    "unit__name",
    "commune__name",
    "meeting__title",
    "meeting__starts_at",
)


def _latest_answer(column):
    from django.db.models import Subquery

    return Subquery(Answer.objects.filter(petition=OuterRef("pk")).order_by("-created_at", "-id").values(column)[:1])


def published_petitions(*, unit_ids, commune_ids=None):
    """The published answers of the units `unit_ids` (a province and its communes, or one commune, each with its
    former units), or raised in the communes `commune_ids`; newest answer first, with the latest answer's text,
    number and date. Only public columns."""
    condition = Q(unit_id__in=list(unit_ids))
    if commune_ids:
        condition |= Q(commune_id__in=list(commune_ids))
    return (
        Petition.objects.filter(PetitionQuerySet.q_published())
        .filter(condition)
        .select_related("lead_agency", "unit", "commune", "meeting")
        .only(*PUBLIC_COLUMNS)
        .annotate(
            answer_text=_latest_answer("text"),
            answer_document_number=_latest_answer("document_number"),
            answer_document_date=_latest_answer("document_date"),
        )
        .order_by("-answered_on", "-id")
    )


def published_search(queryset, query):
    """Accent-insensitive search of the public pages: over the redacted text only (`public_search_text`)."""
    for term in search_terms(query)[:8]:
        queryset = queryset.filter(public_search_text__contains=term)
    return queryset


def published_meetings(queryset, limit=200):
    """The meetings the published answers of `queryset` were raised at (for the filter), most recent first."""
    rows = (
        queryset.filter(meeting__isnull=False)
        .order_by()
        .values_list("meeting_id", "meeting__title", "meeting__starts_at")
        .distinct()
    )
    return sorted(rows, key=lambda row: row[2], reverse=True)[:limit]


def public_figures(*, unit_ids, start=None, end=None):
    """Per place (the commune the petition was raised in, else its unit) and field: petitions received,
    answered, answered on time, in [start, end] by date received. Counts only: every petition counts, published
    or not, as no record is shown. Group primaries only (a grouped duplicate is answered with its primary)."""
    from django.db.models.functions import Coalesce

    queryset = Petition.objects.filter(unit_id__in=list(unit_ids), primary__isnull=True)
    if start:
        queryset = queryset.filter(received_on__gte=start)
    if end:
        queryset = queryset.filter(received_on__lte=end)
    return (
        queryset.annotate(place_id=Coalesce("commune_id", "unit_id"))
        .values("place_id", "field")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=PetitionQuerySet.q_answered()),
            on_time=Count("id", filter=PetitionQuerySet.q_answered_on_time()),
        )
        .order_by("place_id", "field")
    )


def petition_public_state(*, reference, code):
    """What the receipt's holder may see of their petition (its state, where it was sent, by when, when answered),
    or None when the reference or the code is wrong: both answer the same, and the code is checked even when no
    petition has that reference, so the time taken tells nothing either."""
    import re

    from .receipts import receipt_code_matches

    match = re.fullmatch(r"\s*(?:KN[-\s]?)?0*(\d{1,12})\s*", str(reference or ""), flags=re.IGNORECASE)
    pk = int(match.group(1)) if match else None
    row = None
    if pk is not None and pk < 2**63:
        row = (
            Petition.objects.filter(pk=pk)
            .select_related("lead_agency", "originating_agency")
            .only(
                "id",
                "status",
                "received_on",
                "due_date",
                "answered_on",
                "receipt_code_hash",
                "answer_published_at",
                "primary_id",
                "unit_id",
                "lead_agency__name",
                "originating_agency__name",
            )
            .first()
        )
    if not receipt_code_matches(pk, row.receipt_code_hash if row else "", code):
        return None
    forwardings = list(
        Forwarding.objects.filter(petition_id=row.pk, returned_at__isnull=True)
        .select_related("agency")
        .order_by("-created_at", "-id")[:1]
    )
    return {
        "reference": row.reference,
        "status": row.status,
        "status_label": row.get_status_display(),
        "received_on": row.received_on,
        "received_by": row.originating_agency.name,
        "forwarded_to": forwardings[0].agency.name if forwardings else "",
        "forwarded_on": forwardings[0].dispatch_date if forwardings else None,
        "due_date": row.due_date,
        "answered_on": row.answered_on,
        "published": row.is_published,
        "unit_id": row.unit_id,
    }


def public_open_data(*, unit_ids, year):
    """The published answers of a province (its units) answered in `year`, as open data rows (public columns)."""
    return (
        published_petitions(unit_ids=unit_ids)
        .filter(answered_on__gte=datetime.date(year, 1, 1), answered_on__lte=datetime.date(year, 12, 31))
        .order_by("answered_on", "id")
    )


# --- reads for the read API (coordination.api) ----------------------------------------------------------


def petitions_with_history(user):
    """`petition_list` (the petitions `user` may see, with the personal-data flag of the same rules as the
    pages) with every forwarding (agency, supporting agencies) and answer (agency) prefetched: a fixed number
    of queries per page, unordered (the API orders for its cursor)."""
    # The API names related records by id only: no joined unit, agencies, meeting or commune per row, and only
    # the supporting agencies' ids (building those models cost most of an API page: ~1 ms a petition at 1M).
    supporting = Prefetch("supporting_agencies", queryset=Agency.objects.only("id"))
    return (
        with_personal_data_flag(petitions_visible_to(user), user)
        .prefetch_related(
            Prefetch("forwardings", queryset=Forwarding.objects.prefetch_related(supporting)),
            Prefetch("answers", queryset=Answer.objects.all()),
        )
        .defer("search_text", "public_search_text")
        .order_by()
    )


def petition_with_history(user, pk):
    """One petition of `petitions_with_history`: 404 outside the user's units (`petition_get_for`)."""
    return petition_get_for(user, pk, queryset=petitions_with_history(user))


def suggestion_acceptance(*, unit_ids, since=None, until=None):
    """The dashboard's acceptance rate of the field and agency suggestions for petitions of `unit_ids` received in
    [since, until]: {"field": (kept, suggested), "agency": (kept, suggested)}. One aggregate query that starts
    from the suggestion records (one per suggested petition) and reaches each one's petition by its key."""
    from django.db.models import F

    from .models import SuggestionRecord

    records = SuggestionRecord.objects.filter(petition__unit_id__in=unit_ids)
    if since is not None:
        records = records.filter(petition__received_on__gte=since)
    if until is not None:
        records = records.filter(petition__received_on__lte=until)
    field = ~Q(suggested_field="")
    agency = Q(suggested_agency__isnull=False, chosen_agency__isnull=False)
    counts = records.aggregate(
        field_kept=Count("pk", filter=field & Q(chosen_field=F("suggested_field"))),
        field_total=Count("pk", filter=field),
        agency_kept=Count("pk", filter=agency & Q(chosen_agency=F("suggested_agency"))),
        agency_total=Count("pk", filter=agency),
    )
    return {
        "field": (counts["field_kept"], counts["field_total"]),
        "agency": (counts["agency_kept"], counts["agency_total"]),
    }
