"""Suggestions learned from a province's own answers: a new petition's field and competent agency, predicted from
its content by TF-IDF over accent-folded text and a linear model (scikit-learn), trained per province from the
petitions its units already classified and forwarded. No outside service: the model lives in the database
(`SuggestionModel`), loaded once per process and version.

Read by the suggestion endpoint (voters/views_suggest.py), written by the periodic job (voters/tasks.py) and by
`manage.py suggestions train|evaluate`."""

import io
import threading
import time
import tracemalloc

import joblib
import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from coordination.models import AdministrativeUnit
from coordination.text import fold

from .models import NOT_YET_FORWARDED, Petition, SuggestionModel, SuggestionRecord

_CACHE = {}  # province id -> (version, fitted pipelines); one per process
_CACHE_LOCK = threading.Lock()


def province_of(unit):
    """The province a unit belongs to (itself for a province): its model is the one the unit's clerks use."""
    seen = 0
    while unit is not None and unit.level != "province" and seen < 5:
        unit = unit.parent
        seen += 1
    return unit


def _province_units(province):
    """The province and every unit under it (communes, and the districts of old records with theirs)."""
    ids = {province.pk}
    frontier = [province.pk]
    while frontier:
        frontier = list(AdministrativeUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids.update(frontier)
    return ids


def history(province=None, unit=None):
    """(received_on, id, folded content, field, lead agency id) of the petitions classified and forwarded, oldest
    first: a unit's own, or its whole province's."""
    petitions = Petition.objects.exclude(status__in=NOT_YET_FORWARDED).filter(lead_agency__isnull=False)
    if unit is not None:
        petitions = petitions.filter(unit=unit)
    else:
        petitions = petitions.filter(unit_id__in=_province_units(province))
    rows = petitions.order_by("received_on", "id").values_list("received_on", "id", "content", "field", "lead_agency")
    return [(received, pk, fold(content), field, agency) for received, pk, content, field, agency in rows.iterator()]


def unit_history_count(unit):
    return Petition.objects.exclude(status__in=NOT_YET_FORWARDED).filter(unit=unit, lead_agency__isnull=False).count()


def _pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=300_000, sublinear_tf=True, dtype=np.float32),
        SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=20, tol=1e-3, random_state=0),
    )


def fit(texts, fields, agencies):
    """The two fitted pipelines (field, agency). A label seen once cannot be learned: at least two labels each."""
    field_model = _pipeline().fit(texts, fields) if len(set(fields)) > 1 else None
    agency_model = _pipeline().fit(texts, agencies) if len(set(agencies)) > 1 else None
    return {"field": field_model, "agency": agency_model, "only": {"field": fields[0], "agency": agencies[0]}}


def _top(model, texts, k=3):
    """The k most probable labels of each text, best first, with their probabilities."""
    probabilities = model.predict_proba(texts)
    order = np.argsort(-probabilities, axis=1)[:, :k]
    return [
        [(model.classes_[index], float(row[index])) for index in indexes]
        for row, indexes in zip(probabilities, order, strict=True)
    ]


def _accuracy(model, only, texts, truth):
    if not texts:
        return None
    if model is None:
        hits = sum(1 for label in truth if label == only)
        return {"top1": hits / len(truth), "top3": hits / len(truth)}
    tops = _top(model, texts)
    top1 = sum(1 for labels, label in zip(tops, truth, strict=True) if labels[0][0] == label)
    top3 = sum(1 for labels, label in zip(tops, truth, strict=True) if label in [item for item, _p in labels])
    return {"top1": round(top1 / len(truth), 4), "top3": round(top3 / len(truth), 4)}


def evaluate(rows, test_share=0.2):
    """Train on the oldest (1 - test_share) of `rows` (time-ordered), measure on the newest: top-1 and top-3
    accuracy for field and agency, with the training time and the peak memory Python allocated."""
    cut = int(len(rows) * (1 - test_share))
    train, test = rows[:cut], rows[cut:]
    if len(train) < 2 or not test:
        return {"n_train": len(train), "n_test": len(test), "error": "too little history"}
    tracemalloc.start()
    started = time.perf_counter()
    models = fit([r[2] for r in train], [r[3] for r in train], [r[4] for r in train])
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    texts = [r[2] for r in test]
    started = time.perf_counter()
    if models["field"] is not None:
        for text in texts[:200]:
            models["field"].predict_proba([text])
    latency = (time.perf_counter() - started) / min(len(texts), 200) * 1000
    return {
        "n_train": len(train),
        "n_test": len(test),
        "field": _accuracy(models["field"], models["only"]["field"], texts, [r[3] for r in test]),
        "agency": _accuracy(models["agency"], models["only"]["agency"], texts, [r[4] for r in test]),
        "train_seconds": round(seconds, 2),
        "train_peak_mb": round(peak / 2**20, 1),
        "predict_ms": round(latency, 2),
    }


def suggestion_model_train(*, province):
    """Train the province's model on its whole history and store it as the next version; None (nothing stored)
    when the province has fewer than SUGGESTIONS_MIN_SAMPLES classified and forwarded petitions."""
    rows = history(province=province)
    if len(rows) < settings.SUGGESTIONS_MIN_SAMPLES:
        return None
    metrics = evaluate(rows)  # measured on a held-out, time-ordered split, then trained on everything
    models = fit([r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows])
    buffer = io.BytesIO()
    joblib.dump(models, buffer, compress=3)
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
    with _CACHE_LOCK:
        _CACHE[province.pk] = (version, models)
    return _CACHE[province.pk]


def suggest(*, unit, text):
    """{"version", "field": (value, confidence), "agency": (agency id, confidence)} for `text` typed by a clerk of
    `unit`, from the unit's province model; None when the unit has too little history of its own
    (SUGGESTIONS_MIN_UNIT_HISTORY), the province has no model yet, or the text is too short."""
    folded = fold(text)
    if len(folded) < 8 or unit is None:
        return None
    province = province_of(unit)
    if province is None or unit_history_count(unit) < settings.SUGGESTIONS_MIN_UNIT_HISTORY:
        return None
    loaded = _loaded(province)
    if loaded is None:
        return None
    version, models = loaded
    answer = {"version": version}
    for name in ("field", "agency"):
        model = models[name]
        if model is None:
            answer[name] = (models["only"][name], 1.0)
        else:
            answer[name] = _top(model, [folded], k=1)[0][0]
    return answer


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
