"""Suggestions learned from a province's own answers: a new petition's field and competent agency, predicted from
its content by TF-IDF over accent-folded text and a linear model (scikit-learn), trained per province from the
petitions its units already classified and forwarded. No outside service: the model lives in the database
(`SuggestionModel`), loaded once per process and version.

Bounded at any size: a province learns from at most SUGGESTIONS_MAX_TRAIN of its most recent classified and
forwarded petitions (read newest first through an index, streamed), hashed into a fixed number of TF-IDF
columns (no vocabulary to hold), a sparse float32 matrix, and one logistic-loss SGD pass per label set. The
cap was chosen from a learning curve (`manage.py suggestions curve`, README).

The agency is learned relative to the petition's own unit: "its own UBND" is one label for every commune (a
commune's petitions mostly go to its own People's Committee), a department of the province is itself. The
unit's level and the unit itself are features beside the words. A suggestion is answered for the clerk's own
unit, from its own province's model only.

Read by the suggestion endpoint (voters/views_suggest.py), written by the periodic job (voters/tasks.py) and by
`manage.py suggestions train|evaluate|curve`."""

import io
import resource
import threading
import time
import warnings

import joblib
import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from coordination.models import PARTY_KINDS, AdministrativeUnit, Agency
from coordination.text import fold

from .models import NOT_YET_FORWARDED, Petition, SuggestionModel, SuggestionRecord

FORMAT = 2  # the payload's layout; a model stored in another layout is not used (retrained by the next run)
HASH_FEATURES = 2**18  # hashed TF-IDF columns (word 1-2-grams): fixed memory whatever the vocabulary
OWN = "own:"  # agency label "own:UBND": the People's Committee (or other party body) of the petition's own unit

_CACHE = {}  # province id -> (version, fitted models); one per process
_CACHE_LOCK = threading.Lock()


def province_of(unit):
    """The province a unit belongs to (itself for a province): its model is the one the unit's clerks use."""
    seen = 0
    while unit is not None and unit.level != "province" and seen < 5:
        unit = unit.parent
        seen += 1
    return unit


def _province_units(province):
    """{unit id: level} of the province and every unit under it (communes, and the districts of old records)."""
    levels = {province.pk: province.level}
    frontier = [province.pk]
    while frontier:
        children = AdministrativeUnit.objects.filter(parent_id__in=frontier).values_list("pk", "level")
        frontier = []
        for pk, level in children:
            if pk not in levels:
                levels[pk] = level
                frontier.append(pk)
    return levels


def features(folded, unit_id, level):
    """What the model reads: the folded content, then the unit's level and the unit as two words of their own."""
    return f"{folded} zzlevel{level} zzunit{unit_id}"


def agency_label(agency_id, agency_unit_id, agency_kind, unit_id):
    """The label learned for a lead agency: OWN + kind for a party body of the petition's own unit (the same label
    for every commune), else the agency's id."""
    if agency_unit_id == unit_id and agency_kind in PARTY_KINDS:
        return OWN + agency_kind
    return f"a:{agency_id}"


def agency_resolve(label, unit):
    """The agency id a label stands for, for a petition of `unit`; None when it no longer exists there."""
    if label.startswith(OWN):
        return (
            Agency.objects.filter(unit=unit, kind=label[len(OWN) :], is_active=True)
            .values_list("pk", flat=True)
            .first()
        )
    return int(label[2:])


def _classified(petitions):
    return petitions.exclude(status__in=NOT_YET_FORWARDED).filter(lead_agency__isnull=False)


def history(province=None, unit=None, limit=None):
    """(received_on, id, features, field, agency label) of the petitions classified and forwarded, oldest first:
    a unit's own, or its whole province's; only the `limit` most recent (default SUGGESTIONS_MAX_TRAIN; 0: all).
    Read newest first through the (unit, received_on) index and streamed: memory follows the limit, not the
    table."""
    limit = settings.SUGGESTIONS_MAX_TRAIN if limit is None else limit
    if unit is not None:
        levels = {unit.pk: unit.level}
        petitions = _classified(Petition.objects.filter(unit=unit))
    else:
        levels = _province_units(province)
        petitions = _classified(Petition.objects.filter(unit_id__in=list(levels)))
    rows = petitions.order_by("-received_on", "-id").values_list(
        "received_on",
        "id",
        "content",
        "field",
        "unit_id",
        "lead_agency_id",
        "lead_agency__unit_id",
        "lead_agency__kind",
    )
    if limit:
        rows = rows[:limit]
    found = [
        (
            received,
            pk,
            features(fold(content), unit_id, levels.get(unit_id, "")),
            field,
            agency_label(agency_id, agency_unit, agency_kind, unit_id),
        )
        for received, pk, content, field, unit_id, agency_id, agency_unit, agency_kind in rows.iterator(chunk_size=5000)
    ]
    found.reverse()
    return found


def unit_history_count(unit, at_least=None):
    """How many classified and forwarded petitions the unit has, counted up to `at_least` (a bounded query)."""
    petitions = _classified(Petition.objects.filter(unit=unit)).values("pk")
    if at_least is not None:
        petitions = petitions[:at_least]
    return petitions.count()


def hashed(texts):
    """Raw term counts of `texts` over hashed word 1-2-grams (sparse float32; stateless, nothing to fit)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(
        ngram_range=(1, 2), n_features=HASH_FEATURES, alternate_sign=False, norm=None, dtype=np.float32
    )
    return vectorizer.transform(texts)


def _vectorize(texts, idf=None, counts=None):
    """Sparse float32 TF-IDF rows of `texts` (or of their `counts` already hashed); fits the IDF weights when `idf`
    is None. Returns (matrix, idf)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    counts = hashed(texts) if counts is None else counts
    if idf is None:
        idf = TfidfTransformer(sublinear_tf=True).fit(counts)
    return idf.transform(counts).astype(np.float32), idf


def _classifier(matrix, labels):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=5, tol=1e-3, random_state=0)
    with warnings.catch_warnings():
        # At most 5 passes on purpose (bounded time): 8, 15 or 50 gave the same held-out accuracy (README).
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        model.fit(matrix, labels)
    model.coef_ = model.coef_.astype(np.float32)
    model.sparsify()  # the hashed columns never seen stay zero: stored and loaded as a sparse matrix
    return model


def fit(texts, fields, agencies, counts=None):
    """The fitted models {"idf", "field", "agency", "only"}. A label set of one value is no model: "only" answers.
    `counts`: the texts already hashed (`hashed`), to hash them once for the held-out measure and the model."""
    matrix, idf = _vectorize(texts, counts=counts)
    return {
        "format": FORMAT,
        "idf": idf,
        "field": _classifier(matrix, fields) if len(set(fields)) > 1 else None,
        "agency": _classifier(matrix, agencies) if len(set(agencies)) > 1 else None,
        "only": {"field": fields[0], "agency": agencies[0]},
    }


def _top(model, matrix, k=3):
    """The k most probable labels of each row, best first, with their probabilities."""
    probabilities = model.predict_proba(matrix)
    order = np.argsort(-probabilities, axis=1)[:, :k]
    return [
        [(model.classes_[index], float(row[index])) for index in indexes]
        for row, indexes in zip(probabilities, order, strict=True)
    ]


def _accuracy(model, only, matrix, truth):
    if not truth:
        return None
    if model is None:
        hits = sum(1 for label in truth if label == only)
        return {"top1": round(hits / len(truth), 4), "top3": round(hits / len(truth), 4)}
    tops = _top(model, matrix)
    top1 = sum(1 for labels, label in zip(tops, truth, strict=True) if labels[0][0] == label)
    top3 = sum(1 for labels, label in zip(tops, truth, strict=True) if label in [item for item, _p in labels])
    return {"top1": round(top1 / len(truth), 4), "top3": round(top3 / len(truth), 4)}


def peak_rss_mb():
    """The process's peak resident memory so far (MB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _measure(train, test, counts=None):
    """Fit on `train`, measure on `test`: accuracy, wall and CPU time of the fit, one suggestion's time.
    `counts`: (train's, test's) hashed texts, when already hashed."""
    train_counts, test_counts = counts or (None, None)
    started, cpu = time.perf_counter(), time.process_time()
    models = fit([r[2] for r in train], [r[3] for r in train], [r[4] for r in train], counts=train_counts)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    texts = [r[2] for r in test]
    matrix = _vectorize(texts, models["idf"], counts=test_counts)[0]
    sample = texts[:200]
    started = time.perf_counter()
    for text in sample:
        one = _vectorize([text], models["idf"])[0]
        for name in ("field", "agency"):
            if models[name] is not None:
                models[name].predict_proba(one)
    latency = (time.perf_counter() - started) / max(len(sample), 1) * 1000
    return {
        "n_train": len(train),
        "n_test": len(test),
        "field": _accuracy(models["field"], models["only"]["field"], matrix, [r[3] for r in test]),
        "agency": _accuracy(models["agency"], models["only"]["agency"], matrix, [r[4] for r in test]),
        "train_seconds": round(seconds, 2),
        "train_cpu_seconds": round(cpu, 2),
        "predict_ms": round(latency, 2),
        "peak_rss_mb": peak_rss_mb(),
    }


def evaluate(rows, test_share=0.2, counts=None):
    """Train on the oldest (1 - test_share) of `rows` (time-ordered), measure on the newest: top-1 and top-3
    accuracy for field and agency, with the training's wall and CPU time and the process's peak memory.
    `counts`: the rows' texts already hashed."""
    cut = int(len(rows) * (1 - test_share))
    train, test = rows[:cut], rows[cut:]
    if len(train) < 2 or not test:
        return {"n_train": len(train), "n_test": len(test), "error": "too little history"}
    return _measure(train, test, counts=(counts[:cut], counts[cut:]) if counts is not None else None)


def learning_curve(rows, sizes, test_size):
    """Accuracy against the training size: the newest `test_size` rows held out, and each model trained on the
    `size` rows just before them (the most recent history, as `train` does)."""
    test = rows[-test_size:]
    before = rows[:-test_size]
    points = []
    for size in sizes:
        if size > len(before) and points and points[-1]["n_train"] == len(before):
            break  # no more history than the previous point had
        train = before[-size:]
        if len(train) < 2:
            break
        points.append(_measure(train, test))
    return points


def suggestion_model_train(*, province):
    """Train the province's model on its SUGGESTIONS_MAX_TRAIN most recent classified and forwarded petitions and
    store it as the next version, with its measures on a held-out, time-ordered split; None (nothing stored)
    when the province has fewer than SUGGESTIONS_MIN_SAMPLES of them."""
    started, cpu = time.perf_counter(), time.process_time()
    rows = history(province=province)
    if len(rows) < settings.SUGGESTIONS_MIN_SAMPLES:
        return None
    read_seconds = time.perf_counter() - started
    counts = hashed([r[2] for r in rows])  # once, for both fits
    metrics = evaluate(rows, counts=counts)  # measured on a held-out, time-ordered split, then trained on everything
    models = fit([r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows], counts=counts)
    del counts
    buffer = io.BytesIO()
    joblib.dump(models, buffer, compress=3)
    metrics.update(
        {
            "read_seconds": round(read_seconds, 2),
            "total_seconds": round(time.perf_counter() - started, 2),
            "total_cpu_seconds": round(time.process_time() - cpu, 2),
            "payload_kb": round(len(buffer.getvalue()) / 1024),
            "max_train": settings.SUGGESTIONS_MAX_TRAIN,
            "peak_rss_mb": peak_rss_mb(),
        }
    )
    with transaction.atomic():
        AdministrativeUnit.objects.select_for_update().filter(pk=province.pk).first()  # one version at a time
        version = (SuggestionModel.objects.filter(province=province).aggregate(v=Max("version"))["v"] or 0) + 1
        stored = SuggestionModel.objects.create(
            province=province, version=version, n_samples=len(rows), metrics=metrics, payload=buffer.getvalue()
        )
        # Older versions are not needed to answer; keep the last few for comparison.
        old = SuggestionModel.objects.filter(province=province, version__lte=version - 3)
        old.delete()
    return stored


def provinces_to_train():
    """Provinces with units that have forwarded petitions."""
    units = Petition.objects.filter(lead_agency__isnull=False).values_list("unit_id", flat=True).distinct()
    provinces = {}
    for unit in AdministrativeUnit.objects.filter(pk__in=list(units)).select_related("parent__parent"):
        province = province_of(unit)
        if province is not None:
            provinces[province.pk] = province
    return list(provinces.values())


def _loaded(province):
    """The province's latest model, loaded once per process and version (one indexed query per call)."""
    latest = SuggestionModel.objects.filter(province=province).order_by("-version").values_list("pk", "version")
    latest = latest.first()
    if latest is None:
        return None
    pk, version = latest
    cached = _CACHE.get(province.pk)
    if cached and cached[0] == version:
        return cached
    payload = SuggestionModel.objects.filter(pk=pk).values_list("payload", flat=True).first()
    models = joblib.load(io.BytesIO(bytes(payload)))
    if not isinstance(models, dict) or models.get("format") != FORMAT:
        models = None  # stored by an older layout: no suggestion until the next training
    with _CACHE_LOCK:
        _CACHE[province.pk] = (version, models)
    return _CACHE[province.pk]


def suggest(*, unit, text):
    """{"version", "field": (value, confidence), "agency": (agency id or None, confidence)} for `text` typed by a
    clerk of `unit`, from the unit's province model; None when the unit has too little history of its own
    (SUGGESTIONS_MIN_UNIT_HISTORY), the province has no model yet, or the text is too short."""
    folded = fold(text)
    if len(folded) < 8 or unit is None:
        return None
    province = province_of(unit)
    minimum = settings.SUGGESTIONS_MIN_UNIT_HISTORY
    if province is None or unit_history_count(unit, at_least=minimum) < minimum:
        return None
    loaded = _loaded(province)
    if loaded is None or loaded[1] is None:
        return None
    version, models = loaded
    matrix = _vectorize([features(folded, unit.pk, unit.level)], models["idf"])[0]
    answer = {"version": version}
    for name in ("field", "agency"):
        model = models[name]
        label, confidence = (models["only"][name], 1.0) if model is None else _top(model, matrix, k=1)[0][0]
        answer[name] = (agency_resolve(label, unit) if name == "agency" else label, confidence)
    return answer


# The hidden fields that carry what a suggestion offered, from the page to `petition_create` (voters/forms.py).
SUGGESTION_FIELDS = (
    "suggestion_version",
    "suggested_field",
    "suggested_field_confidence",
    "suggested_agency",
    "suggested_agency_confidence",
)


def suggestion_split(values):
    """The suggestion's fields taken out of `values` (a form's cleaned data, a batch row): a dict for
    `petition_create(suggestion=...)`, or None when no suggestion was shown."""
    suggestion = {name: values.pop(name, None) for name in SUGGESTION_FIELDS}
    return suggestion if suggestion["suggestion_version"] else None


def suggestion_record(*, petition, version, suggested_field, field_confidence, suggested_agency, agency_confidence):
    """Remember what was suggested for a just-recorded petition and the field the clerk kept (called inside
    `petition_create`'s transaction)."""
    return SuggestionRecord.objects.create(
        petition=petition,
        model_version=version,
        suggested_field=suggested_field or "",
        field_confidence=field_confidence,
        chosen_field=petition.field,
        suggested_agency=suggested_agency,
        agency_confidence=agency_confidence,
    )


def suggestion_agency_chosen(*, petition, agency):
    """The lead agency the petition was first forwarded to (inside the forwarding's transaction)."""
    SuggestionRecord.objects.filter(petition=petition, chosen_agency__isnull=True).update(chosen_agency=agency)
