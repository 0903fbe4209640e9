"""The campaign's video plays on its page for the hosts sellers post on, stays a link for any
other, and the shop's contact e-mail is there for buyers who prefer it."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from campaigns.views.video import PLAYERS, campaign_video
from tests.factories import make_order

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("link", "player", "shape"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "wide",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "wide",
        ),
        (
            "https://youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "wide",
        ),
        (
            "https://www.tiktok.com/@rajut.nusantara/video/7301234567890123456",
            "https://www.tiktok.com/embed/v2/7301234567890123456",
            "tall",
        ),
        (
            "https://www.instagram.com/reel/C1a2b3C4d5E/",
            "https://www.instagram.com/p/C1a2b3C4d5E/embed",
            "tall",
        ),
    ],
)
def test_links_from_the_hosts_sellers_post_on_become_players(link, player, shape):
    video = campaign_video(link)
    assert (video.link, video.player, video.shape) == (link, player, shape)


def test_any_other_link_stays_a_link():
    video = campaign_video("https://vimeo.com/123456")
    assert video.link == "https://vimeo.com/123456" and video.player == ""
    assert campaign_video("") is None


def test_every_player_is_allowed_by_the_csp_and_nothing_more():
    hosts = {"{0.scheme}://{0.netloc}".format(urlsplit(template)) for _, template, _ in PLAYERS}
    assert set(settings.SECURE_CSP["frame-src"]) == hosts


def test_the_campaign_page_plays_the_video_and_links_it(client, open_campaign):
    # given a seller's YouTube link
    open_campaign.video_url = "https://youtu.be/dQw4w9WgXcQ"
    open_campaign.save(update_fields=["video_url"])

    # when a buyer opens the page
    response = client.get(open_campaign.get_absolute_url())
    page = response.content.decode()

    # then a titled player, a plain link beside it, and the CSP lets exactly that player in
    player = re.search(r'<iframe src="([^"]+)" title="([^"]+)"', page)
    assert player.groups() == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "Video of Custom tote",
    )
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in page
    assert "frame-src https://www.youtube-nocookie.com" in response["Content-Security-Policy"]


def test_a_campaign_without_video_shows_none(client, open_campaign):
    assert "<iframe" not in client.get(open_campaign.get_absolute_url()).content.decode()


def test_buyers_see_the_shops_contact_email_on_the_campaign_and_their_order(
    client, shop, open_campaign
):
    shop.contact_email = "halo@rajut.example"
    shop.save(update_fields=["contact_email"])
    order = make_order(open_campaign, note="Green, SARI")

    for url in (open_campaign.get_absolute_url(), order.get_absolute_url()):
        page = client.get(url).content.decode()
        assert '<a href="mailto:halo@rajut.example">E-mail halo@rajut.example</a>' in page, url
