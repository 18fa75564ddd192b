"""Checks a charter's number and symbol against the form of Decree 30/2020/NĐ-CP (warnings, never refusals)."""

import re

from django.utils.translation import gettext as _

# Document-type abbreviations a coordination charter may carry (Decree 30/2020, Appendix III: "QC" = quy chế);
# "QCPH" (quy chế phối hợp) and "QCLT" (quy chế liên tịch) are the forms offices actually use.
CHARTER_TYPE_ABBREVIATIONS = ("QC", "QCPH", "QCLT")

_NUMBER_SYMBOL = re.compile(r"^(?P<number>[^/]*)/(?P<symbol>.*)$")
_SEGMENT = re.compile(r"^[0-9A-ZĐÂĂÊÔƠƯ&.]+$")


def symbol_warnings(text):
    """The ways `text` departs from the "number/TYPE-AGENCY" form; an empty list when it follows it.

    Decree 30/2020: the number is in Arabic numerals, with a leading zero below 10; the symbol is the
    document-type abbreviation, then a hyphen and the issuing agencies' abbreviations (joint documents list
    every agency, separated by hyphens), all in capitals, without spaces.
    """
    warnings = []
    text = (text or "").strip()
    match = _NUMBER_SYMBOL.match(text)
    if not match:
        return [_("Write the number and symbol as “number/SYMBOL”, e.g. 03/QCPH-HĐND-UBND-UBMTTQ.")]
    number, symbol = match.group("number"), match.group("symbol")
    if not number.isdigit():
        warnings.append(_("The number before “/” should be written in Arabic numerals only."))
    elif int(number) == 0:
        warnings.append(_("The number should start from 01."))
    elif int(number) < 10 and len(number) < 2:
        warnings.append(_("Numbers below 10 are written with a leading zero (e.g. 03, not 3)."))
    if " " in symbol:
        warnings.append(_("The symbol should not contain spaces."))
    if symbol != symbol.upper():
        warnings.append(_("The symbol should be written in capital letters."))
    segments = symbol.replace(" ", "").upper().split("-")
    if any(not segment for segment in segments):
        warnings.append(_("The symbol has an empty part between hyphens."))
    elif any(not _SEGMENT.match(segment) for segment in segments):
        warnings.append(_("The symbol should contain only letters, digits and hyphens."))
    if segments[0] and segments[0] not in CHARTER_TYPE_ABBREVIATIONS:
        warnings.append(
            _("The symbol should start with the document type of a charter (%(types)s).")
            % {"types": ", ".join(CHARTER_TYPE_ABBREVIATIONS)}
        )
    if len(segments) < 2:
        warnings.append(
            _("After the document type, name the issuing agencies separated by hyphens (e.g. QCPH-HĐND-UBND).")
        )
    return warnings


def number_taken_warning(charter):
    """A warning when another charter of the same unit already carries this number and symbol (the register
    of a unit's documents has one entry per number); None otherwise. Warned, not refused: old charters were
    sometimes re-entered by hand."""
    from .models import Charter

    number = (charter.number or "").strip()
    if not number or not charter.unit_id:
        return None
    if Charter.objects.filter(unit_id=charter.unit_id, number__iexact=number).exclude(pk=charter.pk).exists():
        return _(
            "Another charter of this unit already has the number %(number)s: check that it is not entered twice."
        ) % {"number": number}
    return None
