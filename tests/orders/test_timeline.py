"""The buyer's order page shows the whole timeline: what happened, then what is ahead with its
planned (revised where revised) dates; the campaign overview shows the campaign's own timeline."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat

from campaigns.models import Campaign, CampaignEvent
from campaigns.services.transitions import move_campaign
from orders.models import Order, OrderEvent
from orders.selectors import order_timeline
from orders.services.revisions import revise_dates
from orders.services.transitions import move_order
from tests.factories import make_campaign, make_order, make_user
from tests.support import page_text


def titles(steps):
    return [(str(step.title), step.done) for step in steps]


def overview_url(campaign):
    return reverse("dashboard:campaign", args=[campaign.shop.slug, campaign.pk])


def test_a_new_order_shows_it_was_placed_then_every_step_ahead_with_its_date(open_campaign):
    # given
    order = make_order(open_campaign, note="Green")

    # when
    steps = order_timeline(order)

    # then
    assert titles(steps) == [
        ("Order placed", True),
        ("Pay the deposit", False),
        ("Order window closes", False),
        ("Production finishes (estimate)", False),
        ("Pay the balance", False),
        ("Shipping (estimate)", False),
    ]
    assert steps[1].when == order.deposit_due_at
    assert steps[3].when == open_campaign.production_ends_on
    assert steps[5].when == open_campaign.ships_on
    assert all(step.original is None for step in steps)


def test_an_order_in_production_shows_the_deposit_and_production_as_done(open_campaign):
    # given
    order = make_order(open_campaign, note="Green")
    move_order(order=order, to=Order.Status.CONFIRMED)
    move_order(order=order, to=Order.Status.IN_PRODUCTION)
    order = Order.objects.prefetch_related("events").get(pk=order.pk)

    # when
    steps = order_timeline(order)

    # then
    assert titles(steps)[:3] == [
        ("Order placed", True),
        ("Deposit received", True),
        ("In production", True),
    ]
    assert ("Pay the deposit", False) not in titles(steps)
    assert titles(steps)[-1] == ("Shipping (estimate)", False)


def test_the_steps_ahead_carry_the_revised_dates_beside_the_first_estimates(open_campaign):
    # given
    order = make_order(open_campaign, note="Green")
    first_end, first_ship = open_campaign.production_ends_on, open_campaign.ships_on
    revise_dates(
        campaign=open_campaign,
        production_ends_on=first_end + timedelta(days=4),
        ships_on=None,
        reason="Fabric late",
        actor=None,
    )
    order = Order.objects.select_related("campaign__shop").get(pk=order.pk)

    # when
    steps = {str(step.title): step for step in order_timeline(order)}

    # then
    production, shipping = steps["Production finishes (estimate)"], steps["Shipping (estimate)"]
    assert (production.original, production.when) == (first_end, first_end + timedelta(days=4))
    assert (shipping.original, shipping.when) == (first_ship, first_ship + timedelta(days=4))
    assert "Fabric late" in str(production.note)


def test_a_stopped_order_shows_only_what_happened(open_campaign):
    order = move_order(order=make_order(open_campaign, note="Green"), to=Order.Status.CANCELLED)
    order = Order.objects.prefetch_related("events").get(pk=order.pk)
    assert titles(order_timeline(order)) == [("Order placed", True), ("Cancelled", True)]


def test_the_order_page_shows_the_timeline(client, open_campaign):
    order = make_order(open_campaign, note="Green")
    text = page_text(client.get(order.get_absolute_url()))
    timeline = text.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert 'class="done"' in timeline and "Order placed" in timeline
    assert "Shipping (estimate)" in timeline
    assert dateformat.format(open_campaign.ships_on, "j M Y") in timeline


def test_the_overview_shows_the_campaign_timeline_with_who_did_what(seller, shop):
    # given a campaign published by its owner, then cancelled by a teammate
    campaign = make_campaign(shop, status=Campaign.Status.DRAFT, title="Batik PO")
    teammate = make_user(username="dian")
    shop.members.add(teammate)
    move_campaign(campaign=campaign, to=Campaign.Status.PUBLISHED, actor=shop.owner)
    move_campaign(
        campaign=campaign, to=Campaign.Status.CANCELLED, actor=teammate, note="Vendor closed"
    )

    # when
    text = page_text(seller.get(overview_url(campaign)))

    # then
    timeline = text.split("Campaign timeline")[1].split("</section>")[0]
    assert timeline.index("Published") < timeline.index("Cancelled")
    assert f"By {shop.owner.username}" in timeline
    assert "By dian" in timeline
    assert "Vendor closed" in timeline


def test_the_campaign_timeline_is_append_only(open_campaign):
    event = CampaignEvent.objects.create(campaign=open_campaign, kind=CampaignEvent.Kind.NOTE)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        CampaignEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize("page", ["order", "overview"])
def test_the_pages_cost_the_same_queries_for_one_event_or_twenty(
    client, shop, open_campaign, page, django_assert_num_queries
):
    # given
    client.force_login(shop.owner)
    order = make_order(open_campaign, note="Green")
    url = order.get_absolute_url() if page == "order" else overview_url(open_campaign)

    def add_events(n):
        for i in range(n):
            actor = make_user()
            CampaignEvent.objects.create(
                campaign=open_campaign, kind=CampaignEvent.Kind.NOTE, actor=actor, note=f"E{i}"
            )
            OrderEvent.objects.create(
                order=order, kind=OrderEvent.Kind.NOTE, actor=actor, note=f"O{i}"
            )

    add_events(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200

    # when twenty events, each by someone else
    add_events(19)

    # then
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200
