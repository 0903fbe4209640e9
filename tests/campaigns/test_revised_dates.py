"""The seller revises the estimated end of production and shipping date with a reason; buyers
are emailed, and their order page and the PO terms show the first estimate struck through."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import dateformat, timezone

from campaigns.models import Campaign, CampaignEvent
from campaigns.services.transitions import move_campaign
from orders.exceptions import RevisionRefused
from orders.models import Order
from orders.services.revisions import revise_dates
from orders.services.transitions import move_order
from tests.factories import make_buyer, make_campaign, make_order
from tests.support import page_text


def day(value) -> str:
    return dateformat.format(value, "j M Y")


def today():
    return timezone.localdate(timezone=ZoneInfo("Asia/Jakarta"))


def revise_url(campaign):
    return reverse("dashboard:campaign_revise_dates", args=[campaign.shop.slug, campaign.pk])


def overview_url(campaign):
    return reverse("dashboard:campaign", args=[campaign.shop.slug, campaign.pk])


@pytest.fixture
def orders(open_campaign):
    """Sari with two orders, Budi with one, Dewi's expired."""
    sari = make_buyer(1, email="sari@example.com")
    return [
        make_order(open_campaign, note="A", buyer=sari),
        make_order(open_campaign, note="B", buyer=sari),
        make_order(open_campaign, note="C", buyer=make_buyer(2)),
        move_order(order=make_order(open_campaign, note="D"), to=Order.Status.EXPIRED),
    ]


def state(campaign):
    campaign.refresh_from_db()
    return (
        campaign.revised_production_ends_on,
        campaign.revised_ships_on,
        campaign.revision_reason,
        CampaignEvent.objects.count(),
    )


def test_a_later_end_of_production_moves_shipping_with_it_and_is_written_on_the_timeline(
    open_campaign, orders, shop
):
    # given
    first_end, first_ship = open_campaign.production_ends_on, open_campaign.ships_on
    new_end = first_end + timedelta(days=3)

    # when
    revised = revise_dates(
        campaign=open_campaign,
        production_ends_on=new_end,
        ships_on=None,
        reason="Fabric arrived late.",
        actor=shop.owner,
    )

    # then
    assert revised.revised_production_ends_on == new_end
    assert revised.current_production_ends_on == new_end
    assert revised.current_ships_on == first_ship + timedelta(days=3)
    assert revised.production_ends_on == first_end  # the first estimate still reads the same
    event = CampaignEvent.objects.get(campaign=open_campaign)
    assert event.kind == CampaignEvent.Kind.NOTE and event.actor == shop.owner
    written = dateformat.format  # days are written as on the pages: "4 Dec 2026"
    assert f"{written(first_end, 'j M Y')} → {written(new_end, 'j M Y')}" in event.note
    assert "Fabric arrived late." in event.note


def test_only_the_shipping_date_may_be_revised(open_campaign, orders):
    new_ship = open_campaign.ships_on + timedelta(days=5)
    revised = revise_dates(
        campaign=open_campaign,
        production_ends_on=None,
        ships_on=new_ship,
        reason="Courier",
        actor=None,
    )
    assert revised.current_production_ends_on == open_campaign.production_ends_on
    assert revised.current_ships_on == new_ship
    assert not revised.production_end_revised and revised.shipping_revised


def test_buyers_are_emailed_the_new_dates_and_the_reason_once_per_address(
    open_campaign, orders, django_capture_on_commit_callbacks
):
    # given
    new_end = open_campaign.production_ends_on + timedelta(days=3)
    new_ship = open_campaign.ships_on + timedelta(days=4)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        revise_dates(
            campaign=open_campaign,
            production_ends_on=new_end,
            ships_on=new_ship,
            reason="Fabric arrived late.",
            actor=None,
        )

    # then Sari once, Budi once, the expired order's buyer not at all
    assert sorted(email.to[0] for email in mail.outbox) == [
        "buyer2@example.com",
        "sari@example.com",
    ]
    body = mail.outbox[0].body
    assert "Fabric arrived late." in body
    assert dateformat.format(new_end, "j M Y") in body
    assert dateformat.format(new_ship, "j M Y") in body


def test_a_buyer_reading_indonesian_is_emailed_without_a_hitch(
    open_campaign, django_capture_on_commit_callbacks
):
    make_order(open_campaign, note="A", buyer=make_buyer(8, language="id"))
    with django_capture_on_commit_callbacks(execute=True):
        revise_dates(
            campaign=open_campaign,
            production_ends_on=open_campaign.production_ends_on + timedelta(days=2),
            ships_on=None,
            reason="Kain terlambat.",
            actor=None,
        )
    assert len(mail.outbox) == 1
    assert "Kain terlambat." in mail.outbox[0].body


def later(campaign, days=3):
    return campaign.production_ends_on + timedelta(days=days)


REFUSALS = {
    "no reason": lambda c: {"production_ends_on": later(c), "ships_on": None, "reason": "  "},
    "reason too long": lambda c: {
        "production_ends_on": later(c),
        "ships_on": None,
        "reason": "x" * 501,
    },
    "no date": lambda c: {"production_ends_on": None, "ships_on": None, "reason": "Late"},
    "a date in the past": lambda c: {
        "production_ends_on": today() - timedelta(days=1),
        "ships_on": None,
        "reason": "Late",
    },
    "shipping before production ends": lambda c: {
        "production_ends_on": later(c, 10),
        "ships_on": later(c, 9),
        "reason": "Late",
    },
    "the same dates again": lambda c: {
        "production_ends_on": c.production_ends_on,
        "ships_on": c.ships_on,
        "reason": "Late",
    },
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_revision_the_rules_refuse_changes_nothing_and_sends_nothing(
    open_campaign, orders, case, django_capture_on_commit_callbacks
):
    before = state(open_campaign)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RevisionRefused):
        revise_dates(campaign=open_campaign, actor=None, **REFUSALS[case](open_campaign))
    assert state(open_campaign) == before
    assert mail.outbox == []


@pytest.mark.parametrize("status", [Campaign.Status.DRAFT, Campaign.Status.CANCELLED])
def test_a_draft_or_stopped_campaign_keeps_its_dates(shop, status):
    campaign = make_campaign(shop, status=Campaign.Status.DRAFT)
    if status == Campaign.Status.CANCELLED:
        move_campaign(campaign=campaign, to=Campaign.Status.PUBLISHED)
        move_campaign(campaign=campaign, to=Campaign.Status.CANCELLED)
    before = state(campaign)
    with pytest.raises(RevisionRefused):
        revise_dates(
            campaign=campaign,
            production_ends_on=later(campaign),
            ships_on=None,
            reason="x",
            actor=None,
        )
    assert state(campaign) == before


def test_the_seller_revises_the_dates_from_the_overview(
    seller, open_campaign, orders, django_capture_on_commit_callbacks
):
    # given
    new_end = later(open_campaign)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(
            revise_url(open_campaign),
            {"production_ends_on": new_end.isoformat(), "ships_on": "", "reason": "Fabric late"},
        )

    # then
    assert response.status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.revised_production_ends_on == new_end
    assert len(mail.outbox) == 2
    page = page_text(seller.get(overview_url(open_campaign)))
    assert '<del><span class="visually-hidden">First estimate: </span>' in page
    assert "Why they changed: Fabric late" in page
    assert "Estimated dates revised." in page  # the campaign timeline


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"production_ends_on": "", "ships_on": "", "reason": "Late"},
            "__all__",
            "Enter a new production end, a new shipping date, or both.",
        ),
        (
            {"production_ends_on": "2030-01-01", "ships_on": "", "reason": ""},
            "reason",
            "Tell buyers why the dates change.",
        ),
        (
            {"production_ends_on": "not a date", "ships_on": "", "reason": "Late"},
            "production_ends_on",
            "Enter a valid date.",
        ),
        (
            {"production_ends_on": "2000-01-01", "ships_on": "", "reason": "Late"},
            "production_ends_on",
            "Choose a date from today on.",
        ),
    ],
)
def test_a_refused_revision_shows_a_field_message_on_the_overview_and_changes_nothing(
    seller, open_campaign, orders, data, field, message, django_capture_on_commit_callbacks
):
    before = state(open_campaign)
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(revise_url(open_campaign), data)
    assert response.status_code == 400
    assert response.context["revise_form"].errors[field] == [message]
    assert message in page_text(response)
    assert state(open_campaign) == before
    assert mail.outbox == []


def test_the_order_page_and_the_po_terms_strike_the_first_estimate_through(
    client, open_campaign, orders
):
    # given
    first_end, first_ship = open_campaign.production_ends_on, open_campaign.ships_on
    new_end = later(open_campaign)
    revise_dates(
        campaign=open_campaign,
        production_ends_on=new_end,
        ships_on=None,
        reason="Fabric arrived late.",
        actor=None,
    )
    new_ship = first_ship + timedelta(days=3)

    for url in [orders[0].get_absolute_url(), open_campaign.get_absolute_url()]:
        # when
        text = page_text(client.get(url))

        # then
        for was, now in [(first_end, new_end), (first_ship, new_ship)]:
            struck = f'<time datetime="{was.isoformat()}">{day(was)}</time></del>'
            beside = f'<time datetime="{now.isoformat()}">{day(now)}</time></ins>'
            assert f'<del><span class="visually-hidden">First estimate: </span>{struck}' in text
            assert f'<ins><span class="visually-hidden">Revised estimate: </span>{beside}' in text
        assert "Fabric arrived late." in text
