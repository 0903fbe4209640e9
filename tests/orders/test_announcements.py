"""The seller posts an update to every buyer of a campaign: emailed once per buyer, shown on
every order page and on the overview; an empty or over-long update is refused, nothing sent."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Announcement, CampaignEvent
from orders.exceptions import AnnouncementRefused
from orders.models import Order
from orders.services.announcements import announce
from orders.services.transitions import move_order
from tests.factories import make_buyer, make_campaign, make_order
from tests.support import page_text


def announce_url(campaign):
    return reverse("dashboard:campaign_announce", args=[campaign.shop.slug, campaign.pk])


def overview_url(campaign):
    return reverse("dashboard:campaign", args=[campaign.shop.slug, campaign.pk])


@pytest.fixture
def buyers(open_campaign):
    """Sari with two orders (one address, typed twice differently), Budi with one, and Dewi
    whose order was cancelled."""
    sari = make_buyer(1, name="Sari", email="sari@example.com")
    return {
        "sari": [
            make_order(open_campaign, note="A", buyer=sari),
            make_order(open_campaign, note="B", buyer=make_buyer(1, email="Sari@Example.com ")),
        ],
        "budi": make_order(open_campaign, note="C", buyer=make_buyer(2, name="Budi")),
        "dewi": move_order(
            order=make_order(open_campaign, note="D", buyer=make_buyer(3, name="Dewi")),
            to=Order.Status.CANCELLED,
        ),
    }


def test_an_update_is_emailed_once_to_each_buyer_with_an_active_order(
    open_campaign, buyers, shop, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        announce(campaign=open_campaign, text="The fabric arrived today.", actor=shop.owner)

    # then Sari gets one email naming both her orders, Budi one, Dewi (cancelled) none
    assert sorted(address for email in mail.outbox for address in email.to) == [
        "buyer2@example.com",
        "sari@example.com",
    ]
    to_sari = next(email for email in mail.outbox if email.to == ["sari@example.com"])
    assert "The fabric arrived today." in to_sari.body
    for order in buyers["sari"]:
        assert f"/o/{order.token}/" in to_sari.body
    assert "Custom tote" in to_sari.subject
    html, _mimetype = to_sari.alternatives[0]
    assert "The fabric arrived today." in html


def test_the_update_is_stored_and_goes_on_the_campaign_timeline(open_campaign, buyers, shop):
    # when
    announcement = announce(campaign=open_campaign, text="  Delayed 3 days.  ", actor=shop.owner)

    # then
    assert announcement.text == "Delayed 3 days."
    assert list(open_campaign.announcements.all()) == [announcement]
    event = CampaignEvent.objects.get(campaign=open_campaign)
    assert event.kind == CampaignEvent.Kind.NOTE
    assert event.actor == shop.owner
    assert "2 buyers" in event.note and "Delayed 3 days." in event.note


@pytest.mark.parametrize("language", ["id", "en", "fr"])
def test_a_buyer_reading_another_language_gets_the_update_too(
    open_campaign, language, django_capture_on_commit_callbacks
):
    # given a buyer whose browser asked for `language` (fr: one the shop does not speak)
    make_order(open_campaign, note="A", buyer=make_buyer(5, language=language))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        announce(campaign=open_campaign, text="Kain sudah datang.", actor=None)

    # then
    assert len(mail.outbox) == 1
    assert "Kain sudah datang." in mail.outbox[0].body


def test_a_campaign_without_buyers_sends_nothing(open_campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announce(campaign=open_campaign, text="Anyone there?", actor=None)
    assert mail.outbox == []
    assert Announcement.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   \n ", "x" * 1001])
def test_an_empty_or_too_long_update_is_refused_by_the_service(open_campaign, buyers, text):
    with pytest.raises(AnnouncementRefused):
        announce(campaign=open_campaign, text=text, actor=None)
    assert Announcement.objects.count() == 0
    assert CampaignEvent.objects.count() == 0


def test_the_seller_posts_an_update_from_the_overview(
    seller, open_campaign, buyers, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(announce_url(open_campaign), {"text": "Fabric arrived."})

    # then
    assert response.status_code == 302
    assert response["Location"] == overview_url(open_campaign)
    assert Announcement.objects.get().text == "Fabric arrived."
    assert len(mail.outbox) == 2
    page = page_text(seller.get(overview_url(open_campaign)))
    assert "Update posted and emailed to the buyers." in page
    assert "Fabric arrived." in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the update buyers should read."),
        ("   ", "Write the update buyers should read."),
        ("x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_an_empty_or_too_long_update_gets_a_field_message_and_nothing_is_stored_or_sent(
    seller, open_campaign, buyers, text, message, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(announce_url(open_campaign), {"text": text})

    # then
    assert response.status_code == 400
    assert response.context["announce_form"].errors["text"] == [message]
    assert message in page_text(response)
    assert Announcement.objects.count() == 0
    assert CampaignEvent.objects.count() == 0
    assert mail.outbox == []


def test_every_order_page_shows_the_updates_newest_first_with_their_date(
    client, open_campaign, buyers
):
    # given
    announce(campaign=open_campaign, text="First: fabric ordered.", actor=None)
    announce(campaign=open_campaign, text="Second: fabric arrived.", actor=None)

    # when, on the page of each order, cancelled ones too
    for order in [*buyers["sari"], buyers["budi"], buyers["dewi"]]:
        text = page_text(client.get(order.get_absolute_url()))

        # then
        assert "Updates from Rajut Test" in text
        assert text.index("Second: fabric arrived.") < text.index("First: fabric ordered.")
        assert '<time datetime="' in text.split("Updates from Rajut Test")[1]


def test_another_campaigns_updates_are_not_shown(client, shop, open_campaign, buyers):
    other = make_campaign(shop, title="Other PO")
    announce(campaign=other, text="Only for the other PO.", actor=None)
    text = page_text(client.get(buyers["budi"].get_absolute_url()))
    assert "Only for the other PO." not in text
    assert "Updates from" not in text


@pytest.mark.parametrize("page", ["order", "overview"])
def test_the_pages_cost_the_same_queries_for_one_update_or_twenty(
    client, shop, open_campaign, buyers, page, django_assert_num_queries
):
    # given
    client.force_login(shop.owner)
    url = buyers["budi"].get_absolute_url() if page == "order" else overview_url(open_campaign)
    announce(campaign=open_campaign, text="Update 0", actor=shop.owner)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200

    # when there are twenty
    for n in range(1, 20):
        announce(campaign=open_campaign, text=f"Update {n}", actor=shop.owner)

    # then
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert "Update 19" in page_text(response)
