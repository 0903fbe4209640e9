"""Campaign decisions go through one table; a move it does not allow changes nothing."""

import pytest

from campaigns.exceptions import CampaignMoveNotAllowed
from campaigns.models import Campaign, CampaignEvent
from campaigns.services.transitions import ALLOWED, move_campaign
from tests.factories import make_campaign, make_user

S = Campaign.Status
ALLOWED_MOVES = [(start, to) for start, targets in ALLOWED.items() for to in sorted(targets)]
REFUSED_MOVES = [
    (S.DRAFT, S.IN_PRODUCTION),
    (S.PUBLISHED, S.SHIPPING),
    (S.SHIPPING, S.CANCELLED),
    (S.COMPLETED, S.PUBLISHED),
    (S.FAILED, S.IN_PRODUCTION),
    (S.CANCELLED, S.PUBLISHED),
]


@pytest.mark.parametrize(("start", "to"), ALLOWED_MOVES)
def test_every_allowed_move_changes_the_status_and_writes_a_decision(shop, start, to):
    # given
    campaign = make_campaign(shop, status=start)
    seller = make_user()
    # when
    move_campaign(campaign=campaign, to=to, actor=seller, note="why")
    # then
    campaign.refresh_from_db()
    event = campaign.events.get()
    assert campaign.status == to
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        start,
        to,
        seller,
        "why",
    )


def test_publishing_and_unpublishing_keep_their_own_words_on_the_timeline(shop):
    campaign = make_campaign(shop, status=S.DRAFT)
    move_campaign(campaign=campaign, to=S.PUBLISHED)
    move_campaign(campaign=campaign, to=S.DRAFT)
    assert [e.kind for e in campaign.events.all()] == [
        CampaignEvent.Kind.PUBLISHED,
        CampaignEvent.Kind.UNPUBLISHED,
    ]


@pytest.mark.parametrize(("start", "to"), REFUSED_MOVES)
def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(shop, start, to):
    # given
    campaign = make_campaign(shop, status=start)
    # when
    with pytest.raises(CampaignMoveNotAllowed):
        move_campaign(campaign=campaign, to=to)
    # then
    campaign.refresh_from_db()
    assert campaign.status == start
    assert not campaign.events.exists()
