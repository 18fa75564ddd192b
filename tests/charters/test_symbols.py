"""The Decree 30/2020 check of a charter's number and symbol warns and never refuses."""

import pytest

from charters.symbols import symbol_warnings


@pytest.mark.smoke
def test_joint_charter_symbol_in_full_form_has_no_warning():
    assert symbol_warnings("03/QCPH-HĐND-UBND-UBMTTQ") == []
    assert symbol_warnings("01/QC-ĐĐBQH-HĐND-UBMTTQ") == []


def test_symbol_without_issuing_agencies_is_warned():
    warnings = symbol_warnings("35/QCPH")
    assert len(warnings) == 1
    assert "issuing agencies" in warnings[0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("3/QCPH-HĐND", "leading zero"),
        ("03/qcph-hđnd", "capital letters"),
        ("QCPH-HĐND", "number/SYMBOL"),
        ("ba/QCPH-HĐND", "Arabic numerals"),
        ("00/QCPH-HĐND", "01"),
        ("03/QCPH--HĐND", "empty part"),
        ("03/QCPH - HĐND", "spaces"),
        ("03/KH-UBND", "document type"),
    ],
)
def test_each_departure_from_the_form_is_named(text, fragment):
    assert any(fragment in warning for warning in symbol_warnings(text))


def test_empty_text_gets_a_warning_not_an_exception():
    assert symbol_warnings("")
