"""Fixtures the campaigns tests share: a member of the shop who is not its owner."""

import pytest

from tests.factories import make_user


@pytest.fixture
def member(shop):
    """A manager of the shop: not its owner."""
    user = make_user(username="budi", email="budi@example.com")
    shop.members.add(user, through_defaults={"role": "manager"})
    return user
