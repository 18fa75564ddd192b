"""Rules of a petition's data that both the services (one petition) and the batch import (many) apply."""

from coordination.text import fold

# The deadline rule that dates a petition's answer.
DEADLINE_RULE = "petition-answer-local"


def search_text_for(petition):
    """The folded text search compares against. Personal data stays out so that searching by a
    name cannot reveal a petition's voter to someone not allowed to see it."""
    parts = [petition.reference if petition.pk else "", petition.content, petition.locality]
    if petition.commune_id:
        parts.append(petition.commune.name)
    return fold(" ".join(part for part in parts if part))


def public_search_text_for(petition, answer_text=""):
    """The folded text the citizens' search compares against: the redacted content and answer only, so that a
    name or number masked on the page cannot be found by searching for it."""
    from .redaction import redact

    return fold(" ".join(part for part in (petition.reference, redact(petition.content), redact(answer_text)) if part))
