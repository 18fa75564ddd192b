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
