"""Whole numbers read as `floatformat:"0g"` writes them, in English and French."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.numbers import whole_number

# What the pages pass: counts, budgets and their shares (Decimal, to the cent or finer).
amounts = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False),
)


@pytest.mark.parametrize("language", ["en", "fr"])
@given(value=amounts)
def test_a_whole_number_is_written_as_floatformat_writes_it(language, value):
    with translation.override(language):
        assert whole_number(value) == floatformat(value, "0g")


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("en", Decimal("1234567.5"), "1,234,568"),
        ("fr", Decimal("1234567.5"), "1\xa0234\xa0568"),
        ("en", 2.5, "3"),
        ("en", Decimal("-0.4"), "0"),
        ("en", None, ""),
        ("en", "12.6", "13"),
    ],
)
def test_amounts_are_rounded_half_up_and_grouped_in_the_visitors_language(language, value, text):
    with translation.override(language):
        assert whole_number(value) == text
