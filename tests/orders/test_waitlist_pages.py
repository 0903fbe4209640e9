"""The waiting list as buyers and sellers meet it: the join form on a sold-out campaign page,
the buyer's private page (place in line, the units held and their order form, leaving), and the
seller's list in the dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, WaitlistEntry
from orders.services.waitlist import join_waitlist
from payments.services.cancellations import cancel_order
from tests.factories import make_buyer, make_campaign, make_order, make_shop
from tests.support import page_text

E = WaitlistEntry.Status
URL = "/rajut/sold-out/"


@pytest.fixture
def sold_out(shop):
    campaign = make_campaign(
        shop,
        slug="sold-out",
        title="Batik tote",
        capacity=1,
        min_quantity=1,
        variants=[{"name": "Tote", "price": "150000"}],
    )
    campaign.order = make_order(campaign, buyer=make_buyer(1, name="Sari"))
    return campaign


def join_data(campaign, **changes) -> dict:
    return {
        "join_waitlist": "1",
        "name": "Ani Wijaya",
        "phone": "0813-1111-2222",
        "email": "ani@example.com",
        "variant": str(campaign.variants.first().pk),
        "quantity": "1",
        **changes,
    }


def entry_for(campaign, n=1, quantity=1) -> WaitlistEntry:
    buyer = make_buyer(200 + n)
    entry, _ = join_waitlist(
        campaign=campaign,
        variant_id=campaign.variants.first().pk,
        quantity=quantity,
        name=buyer.name,
        phone=buyer.phone,
        email=buyer.email,
        language="en",
    )
    return entry


def offered(campaign) -> WaitlistEntry:
    """An entry holding the unit of the campaign's cancelled order."""
    entry = entry_for(campaign)
    cancel_order(order=campaign.order, actor=None, reason="x")
    entry.refresh_from_db()
    assert entry.status == E.OFFERED
    return entry


def offer_order_data(entry, **changes) -> dict:
    return {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-variant": str(entry.variant_id),
        "lines-0-quantity": str(entry.held),
        "buyer_name": entry.name,
        "buyer_phone": entry.phone,
        "buyer_email": entry.email,
        "shipping_address": "Jl. Melati 3, Bogor",
        "idempotency_key": "offer-key-0000000001",
        **changes,
    }


# --- the campaign page ----------------------------------------------------------------------------


def test_a_sold_out_page_offers_the_waiting_list_and_an_open_one_does_not(client, sold_out, shop):
    page = page_text(client.get(URL))
    assert "Join the waiting list" in page
    assert "held for 12 hours" in page
    open_one = make_campaign(shop, slug="open-one", capacity=5)
    assert "Join the waiting list" not in page_text(client.get(open_one.get_absolute_url()))


def test_joining_from_the_page_opens_the_buyer_s_private_place(client, sold_out):
    # when Ani sends the form
    response = client.post(URL, join_data(sold_out))
    # then she lands on her private page, first in line
    entry = WaitlistEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url() + "#main"
    page = page_text(client.get(entry.get_absolute_url()))
    assert "You are number 1 in line" in page
    assert "1 × Tote of" in page and "Batik tote" in page
    # with her number stored as WhatsApp needs it
    assert entry.phone == "+6281311112222"


def test_a_bad_number_is_a_form_error_and_nobody_joins(client, sold_out):
    response = client.post(URL, join_data(sold_out, phone="12"))
    assert response.status_code == 400
    assert "Enter a valid WhatsApp number" in page_text(response)
    assert not WaitlistEntry.objects.exists()


def test_joining_again_says_the_link_went_to_the_e_mail_given_first(client, sold_out):
    client.post(URL, join_data(sold_out))
    response = client.post(URL, join_data(sold_out, email="other@example.com"))
    assert response.status_code == 200
    assert "already on the waiting list" in page_text(response)
    assert WaitlistEntry.objects.count() == 1


def test_the_join_form_is_rate_limited(client, sold_out, settings):
    settings.WAITLIST_RATE = "1/600"
    client.post(URL, join_data(sold_out))
    response = client.post(URL, join_data(sold_out, phone="0813-1111-3333", email="b@example.com"))
    assert response.status_code == 429
    assert WaitlistEntry.objects.count() == 1


# --- the buyer's private page ---------------------------------------------------------------------


def test_an_unknown_link_is_not_found(client, db):
    assert client.get("/w/not-a-real-token-at-all/").status_code == 404


def test_the_private_page_is_kept_out_of_search_engines(client, sold_out):
    response = client.get(entry_for(sold_out).get_absolute_url())
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_buyer_orders_what_is_held_from_their_page(client, sold_out):
    # given the unit came back and is held for Ani
    entry = offered(sold_out)
    page = page_text(client.get(entry.get_absolute_url()))
    assert "1 × Tote is held for you" in page
    # when she sends the order form on her page
    response = client.post(entry.get_absolute_url(), offer_order_data(entry))
    # then she lands on her new order's page
    order = Order.objects.get(waitlist_entry=entry)
    assert response.status_code == 302
    assert response["Location"].startswith(order.get_absolute_url())
    assert order.buyer_phone == entry.phone and order.status == Order.Status.PENDING
    # and her waiting-list page now points there
    assert order.code in page_text(client.get(entry.get_absolute_url()))


def test_a_hold_past_its_time_cannot_be_ordered_and_says_so(client, sold_out):
    entry = offered(sold_out)
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(entry.get_absolute_url(), offer_order_data(entry))
    assert response.status_code == 409
    assert "Your hold has ended" in page_text(response)
    assert not Order.objects.filter(waitlist_entry=entry).exists()
    sold_out.refresh_from_db()
    assert (sold_out.held, sold_out.units_left) == (0, 1)


def test_ordering_more_than_held_is_refused_on_the_page(client, sold_out):
    entry = offered(sold_out)
    data = offer_order_data(entry, **{"lines-0-quantity": "2"})
    response = client.post(entry.get_absolute_url(), data)
    assert response.status_code == 409
    assert "1 units are held for you" in page_text(response)
    entry.refresh_from_db()
    assert entry.status == E.OFFERED


def test_the_buyer_leaves_the_list_from_their_page(client, sold_out):
    entry = offered(sold_out)
    response = client.post(entry.get_absolute_url(), {"leave": "1"})
    assert response.status_code == 302
    assert "You left the waiting list" in page_text(client.get(entry.get_absolute_url()))
    sold_out.refresh_from_db()
    assert sold_out.held == 0


# --- the seller's list ----------------------------------------------------------------------------


def waitlist_url(campaign) -> str:
    return f"/dashboard/{campaign.shop.slug}/campaigns/{campaign.pk}/waiting-list/"


def test_the_seller_sees_the_list_in_order_with_the_offer_to_send(seller, sold_out):
    # given Ani holds the unit and Budi waits
    ani = offered(sold_out)
    entry_for(sold_out, n=2, quantity=2)
    # when the seller opens the waiting list
    response = seller.get(waitlist_url(sold_out))
    page = page_text(response)
    # then both are listed in order, with the hold's end and the WhatsApp message for Ani
    assert response.status_code == 200
    assert page.index(ani.name) < page.index("Buyer 202")
    assert "1 held until" in page and "Number 1 in line" in page
    assert f"https://wa.me/{ani.phone.lstrip('+')}?text=" in page


def test_the_list_is_read_in_a_fixed_number_of_queries(
    seller, sold_out, django_assert_max_num_queries
):
    for n in range(15):
        entry_for(sold_out, n=n)
    with django_assert_max_num_queries(12):
        assert seller.get(waitlist_url(sold_out)).status_code == 200


def test_another_shop_s_list_is_not_found(seller, db):
    other = make_campaign(make_shop(), capacity=1)
    assert seller.get(waitlist_url(other).replace(other.shop.slug, "rajut")).status_code == 404


def test_the_hold_time_is_a_shop_setting(seller, shop):
    from tests.campaigns.test_shop_settings import settings_data, settings_url

    seller.post(settings_url(shop), settings_data(shop, hold_hours="6"))
    shop.refresh_from_db()
    assert shop.hold_hours == 6
    response = seller.post(settings_url(shop), settings_data(shop, hold_hours="0"))
    assert response.status_code == 200
    shop.refresh_from_db()
    assert shop.hold_hours == 6


def test_the_cached_page_offers_the_list_once_an_item_sells_out(client, open_campaign):
    # given the open PO's page was shown (and kept in the page cache)
    url = open_campaign.get_absolute_url()
    assert "Join the waiting list" not in page_text(client.get(url))
    # when the last Navy totes are ordered, while Green stays open
    make_order(open_campaign, quantity=4, note="x", variant=open_campaign.variants.get(name="Navy"))
    # then the next view offers the waiting list for Navy
    page = page_text(client.get(url))
    assert "Join the waiting list" in page
    assert '<option value="' not in page.split('id="waitlist"')[1].split("</form>")[0]
