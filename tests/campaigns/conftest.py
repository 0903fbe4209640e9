"""Fixtures the campaigns tests share: a member of the shop who is not its owner."""

import pytest

from tests.factories import make_user


@pytest.fixture
def member(shop):
    """A member of the shop who is not its owner."""
    user = make_user(username="budi", email="budi@example.com")
    shop.members.add(user)
    return user
