"""Who may look at a shop's orders: anonymous visitors log in, other shops get 404, the whole
team works on them."""

import pytest
from django.urls import reverse

from orders.models import Order, OrderEvent
from tests.factories import make_campaign, make_order, make_shop, make_user
from tests.orders.seller_screens import order_url, orders_url
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status


@pytest.fixture
def neighbour():
    """Another shop, with a campaign and an order of its own."""
    shop = make_shop(name="Tetangga", slug="tetangga")
    order = make_order(make_campaign(shop))
    return shop, order


def seller_urls(shop, campaign, order) -> list[tuple[str, str]]:
    """Every seller URL of this area, as (method, url)."""
    on_campaign = [shop.slug, campaign.pk]
    on_order = [shop.slug, order.code]
    return [
        ("get", reverse("dashboard:orders", args=[shop.slug])),
        ("get", reverse("dashboard:campaign_orders", args=on_campaign)),
        ("get", reverse("dashboard:campaign_recap", args=on_campaign)),
        ("get", reverse("dashboard:campaign_recap", args=on_campaign) + "?format=csv"),
        ("get", reverse("dashboard:campaign_export", args=on_campaign)),
        ("get", reverse("dashboard:order", args=on_order)),
        ("post", reverse("dashboard:order_note", args=on_order)),
        ("post", reverse("dashboard:order_cancel", args=on_order)),
    ]


POST_DATA = {"internal_note": "x", "reason": "x"}


def test_every_seller_url_sends_an_anonymous_visitor_to_log_in(client, sinta_order):
    campaign = sinta_order.campaign
    for method, url in seller_urls(campaign.shop, campaign, sinta_order):
        response = getattr(client, method)(url, POST_DATA)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    sinta_order.refresh_from_db()
    assert (sinta_order.status, sinta_order.internal_note) == (S.PENDING, "")


def test_a_member_of_another_shop_gets_not_found_everywhere(client, sinta_order, neighbour):
    # given the owner of another shop is logged in
    other_shop, _ = neighbour
    client.force_login(other_shop.owner)
    campaign = sinta_order.campaign
    # when she tries this shop's pages
    for method, url in seller_urls(campaign.shop, campaign, sinta_order):
        # then each is a 404
        assert getattr(client, method)(url, POST_DATA).status_code == 404, url
    sinta_order.refresh_from_db()
    assert (sinta_order.status, sinta_order.internal_note) == (S.PENDING, "")


def test_another_shops_order_or_campaign_through_my_own_shop_is_not_found(seller, shop, neighbour):
    # given the seller of "rajut" knows the other shop's order code and campaign id
    _, their_order = neighbour
    their_campaign = their_order.campaign
    # when she puts them in her own shop's URLs
    for method, url in seller_urls(shop, their_campaign, their_order):
        if url == reverse("dashboard:orders", args=[shop.slug]):
            continue  # her own list: fine, and without their order
        # then each is a 404 and their order is untouched
        assert getattr(seller, method)(url, POST_DATA).status_code == 404, url
    their_order.refresh_from_db()
    assert (their_order.status, their_order.internal_note) == (S.PENDING, "")
    assert their_order.code not in page_text(seller.get(orders_url(shop)))


def test_a_second_member_of_the_shop_works_on_its_orders_too(client, shop, sinta_order):
    # given a manager of the team, not the owner
    member = make_user()
    shop.members.add(member, through_defaults={"role": "manager"})
    client.force_login(member)
    # when she cancels an order
    client.post(order_url(sinta_order, "dashboard:order_cancel"), {"reason": "Duplicate"})
    # then it is cancelled in her name
    event = OrderEvent.objects.filter(order=sinta_order).latest("id")
    assert (event.to_status, event.actor) == (S.CANCELLED, member)
