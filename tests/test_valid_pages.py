"""Small things every visitor's browser notices: a favicon (no 404 on every page), a description
for link previews and search, progress bars the HTML checker accepts. (Every page is run
through the Nu Html Checker in tests/e2e/test_accessibility.py.)"""

import re

import pytest
from django.templatetags.static import static

from orders.services.transitions import move_order
from tests.factories import make_order

pytestmark = pytest.mark.django_db


def test_the_favicon_is_linked_from_every_page_and_served_where_browsers_guess(client, shop):
    page = client.get(shop.get_absolute_url()).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")


def test_public_pages_describe_themselves(client, shop, open_campaign):
    open_campaign.description = "A tote bag with your name printed on it."
    open_campaign.save(update_fields=["description"])
    pages = {
        "/": "pre-orders made simple",
        shop.get_absolute_url(): "Pre-orders by Rajut Test",
        open_campaign.get_absolute_url(): "A tote bag with your name printed on it.",
    }
    for url, words in pages.items():
        description = re.search(r'<meta name="description" content="([^"]*)"', client.get(url).text)
        assert description and words in description[1], url


def test_a_progress_bar_past_its_minimum_stays_within_its_max(client, seller, shop, open_campaign):
    # given 7 units paid for where 5 are needed
    move_order(order=make_order(open_campaign, quantity=7, note="Green, SARI"), to="confirmed")

    public = client.get(open_campaign.get_absolute_url()).text
    bars = re.findall(r'<progress[^>]* max="(\d+)" value="(\d+)"', public)

    # then the bar is full, not past full, and its words still say 7
    assert bars == [("5", "5")]
    assert "7 ordered, 7 paid, 5 needed" in public
    overview = seller.get(f"/dashboard/{shop.slug}/campaigns/{open_campaign.pk}/").text
    for max_, value in re.findall(r'<progress[^>]* max="(\d+)" value="(\d+)"', overview):
        assert int(value) <= int(max_)
