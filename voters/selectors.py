"""Reads of voter petitions, shaped for the pages that use them."""

import datetime

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Value
from django.utils import timezone

from coordination.audit import audit_events_for
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


def petition_search(queryset, query):
    """Accent-insensitive search: every folded word must appear in the folded text."""
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
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


def suggestion_acceptance(*, unit_ids, since=None, until=None):
    """The dashboard's acceptance rate of the field and agency suggestions for petitions of `unit_ids` received in
    [since, until]: {"field": (kept, suggested), "agency": (kept, suggested)}."""
    from django.db.models import F

    from .models import SuggestionRecord

    records = SuggestionRecord.objects.filter(petition__unit_id__in=unit_ids)
    if since is not None:
        records = records.filter(petition__received_on__gte=since)
    if until is not None:
        records = records.filter(petition__received_on__lte=until)
    field = records.exclude(suggested_field="")
    agency = records.filter(suggested_agency__isnull=False, chosen_agency__isnull=False)
    return {
        "field": (field.filter(chosen_field=F("suggested_field")).count(), field.count()),
        "agency": (agency.filter(chosen_agency=F("suggested_agency")).count(), agency.count()),
    }
