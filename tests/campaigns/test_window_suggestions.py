"""The campaign editor suggests order windows around pay day, and a pick fills in the times."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from tests.campaigns.editor import new_campaign_data, parse_form, url
from tests.factories import make_campaign, make_shop
from tests.support import page_text

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def friday_20_november(monkeypatch):
    """The clock reads 20 November 2026, 10:00 in Jakarta (03:00 UTC).

    Clocks in these tests are only ever set back: a login made now is still valid then.
    """
    moment = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def suggestions(response) -> list[tuple[str, str, str]]:
    """(opens, closes, dates as shown) of each suggested window, in page order."""
    return [
        (opens, closes, re.sub(r"\s+", " ", shown))
        for opens, closes, shown in re.findall(
            r'data-window-opens="([^"]+)" data-window-closes="([^"]+)">\s*'
            r'<span class="window-dates">([^<]+)</span>',
            page_text(response),
        )
    ]


def test_the_new_campaign_page_suggests_windows_across_pay_day(seller, shop, friday_20_november):
    # when
    response = seller.get(url("campaign_new", shop))
    # then three windows, from the shop's today on
    assert suggestions(response) == [
        ("2026-11-20T11:00", "2026-12-02T23:59", "20 Nov 11:00 – 2 Dec 23:59"),
        ("2026-11-25T20:00", "2026-12-02T23:59", "25 Nov 20:00 – 2 Dec 23:59"),
        ("2026-12-25T20:00", "2027-01-02T23:59", "25 Dec 20:00 – 2 Jan 23:59"),
    ]
    page = re.sub(r"\s+", " ", page_text(response))
    assert "From now until just after pay day · 13 days" in page
    assert "Pay day at the end of November · 7 days" in page
    assert "Pay day at the end of December · 8 days" in page
    # and each is a link that works without a script: the editor with the window filled in
    assert (
        'href="?opens_at=2026-12-25T20:00&amp;closes_at=2027-01-02T23:59#id_opens_at"'
        in response.content.decode()
    )


def test_suggestions_follow_the_shops_clock(client, monkeypatch):
    # given a shop in Jayapura (UTC+9) at 12:30 UTC on 25 December: 21:30 there, pay day evening
    shop = make_shop(time_zone="Asia/Jayapura")
    client.force_login(shop.owner)
    moment = datetime(2025, 12, 25, 12, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    # when
    response = client.get(url("campaign_new", shop))
    # then the window is already open there: the rest of it comes first
    assert suggestions(response)[0] == (
        "2025-12-25T22:00",
        "2026-01-02T23:59",
        "25 Dec 22:00 – 2 Jan 23:59",
    )


def test_a_picked_window_fills_in_the_form_and_is_saved_in_the_shops_time_zone(seller, shop):
    # when the seller follows a suggestion link (no script: the page loads again)
    response = seller.get(
        url("campaign_new", shop),
        {"opens_at": "2030-12-25T20:00", "closes_at": "2031-01-02T23:59"},
    )
    # then the two times are filled in
    values = parse_form(response).values
    assert (values["opens_at"], values["closes_at"]) == ("2030-12-25T20:00", "2031-01-02T23:59")
    # and saved with the rest of the form, they are the shop's wall-clock times
    data = new_campaign_data(opens_at=values["opens_at"], closes_at=values["closes_at"])
    assert seller.post(url("campaign_new", shop), data).status_code == 302
    campaign = Campaign.objects.get(shop=shop)
    assert campaign.opens_at == datetime(2030, 12, 25, 20, 0, tzinfo=JAKARTA)
    assert campaign.closes_at == datetime(2031, 1, 2, 23, 59, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    "query",
    [
        {"opens_at": "next payday", "closes_at": "2031-01-02T23:59"},
        {"opens_at": "2031-01-02T23:59", "closes_at": "2030-12-25T20:00"},  # closes first
        {"opens_at": "2030-12-25T20:00"},
    ],
    ids=["not a time", "closes before it opens", "half a window"],
)
def test_a_broken_suggestion_link_leaves_the_times_empty(seller, shop, query):
    # when
    response = seller.get(url("campaign_new", shop), query)
    # then
    assert response.status_code == 200
    values = parse_form(response).values
    assert (values["opens_at"], values["closes_at"]) == ("", "")


def test_a_draft_gets_suggestions_and_a_picked_window_replaces_its_times(seller, shop):
    # given a draft
    draft = make_campaign(shop, status=Campaign.Status.DRAFT)
    # when
    response = seller.get(
        url("campaign_edit", shop, draft),
        {"opens_at": "2030-12-25T20:00", "closes_at": "2031-01-02T23:59"},
    )
    # then
    assert len(suggestions(response)) == 3
    values = parse_form(response).values
    assert (values["opens_at"], values["closes_at"]) == ("2030-12-25T20:00", "2031-01-02T23:59")


def test_a_published_campaign_gets_no_suggestions_and_keeps_its_times(seller, shop):
    # given a campaign buyers can already see
    campaign = make_campaign(
        shop,
        opens_at=datetime(2030, 3, 1, 10, 0, tzinfo=JAKARTA),
        closes_at=datetime(2030, 3, 8, 22, 0, tzinfo=JAKARTA),
    )
    # when
    response = seller.get(
        url("campaign_edit", shop, campaign),
        {"opens_at": "2030-12-25T20:00", "closes_at": "2031-01-02T23:59"},
    )
    # then
    assert suggestions(response) == []
    values = parse_form(response).values
    assert (values["opens_at"], values["closes_at"]) == ("2030-03-01T10:00", "2030-03-08T22:00")
