"""Buyers type their WhatsApp number many ways; we keep one: E.164."""

import pytest
from django.core.exceptions import ValidationError

from kernel.phones import to_e164


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "62812 3456 7890",
        "+62 812-3456-7890",
        "081234567890",
        "6281234567890",
        "  0812 3456 7890  ",
    ],
)
def test_the_ways_indonesians_write_a_number_all_become_e164(typed):
    assert to_e164(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["abc", "123", "", "+1 555", "   ", None])
def test_something_that_is_not_a_phone_number_is_refused_with_an_example(typed):
    # when the buyer types garbage
    with pytest.raises(ValidationError) as refused:
        to_e164(typed)
    # then the message tells them what a valid number looks like
    error = refused.value
    assert error.code == "invalid_phone"
    assert "valid WhatsApp number" in error.messages[0]
    assert "0812 3456 7890" in error.messages[0]
