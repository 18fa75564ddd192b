"""Monitoring ages for /healthz that apps report without the core importing them.

An app registers a probe in its AppConfig.ready (e.g. the reviews: the age of the oldest queued render);
/healthz calls each one and shows its value under the probe's name."""

_PROBES = {}


def register_age_probe(name, probe):
    """`probe(now)` returns an age in seconds, or None when there is nothing waiting."""
    _PROBES[name] = probe


def age_probes():
    return dict(_PROBES)
