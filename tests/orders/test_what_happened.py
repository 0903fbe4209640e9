"""Say what happened where the reader looks: a rejected payment at the top of the buyer's page,
no payment step ahead once a proof is sent, no estimates once they are facts, progress in the
same words for buyers and the seller, and the go decision with its margin."""

import re
from decimal import Decimal

import pytest

from campaigns.models import Campaign, Vendor, VendorQuote
from orders.selectors import order_timeline
from orders.services.fulfilment import mark_shipped
from orders.services.revisions import RevisionRefused, revise_dates
from payments.services.payments import reject_payment
from tests.factories import make_campaign, make_order, payment_in_review
from tests.orders.production import close_window, confirmed_order, paid_orders
from tests.support import page_text

pytestmark = pytest.mark.django_db


def overview(client, campaign) -> str:
    return page_text(client.get(f"/dashboard/{campaign.shop.slug}/campaigns/{campaign.pk}/"))


# --- the buyer's page ---------------------------------------------------------------------------


def test_a_rejected_payment_is_the_first_thing_the_buyer_reads_with_its_reason(
    client, open_campaign
):
    # given a proof the seller turned down
    order = make_order(open_campaign, note="Green")
    reject_payment(
        payment=payment_in_review(order),
        reason="Nothing arrived in BCA under this name.",
        actor=open_campaign.shop.owner,
    )

    # when the buyer opens their order
    text = page_text(client.get(order.get_absolute_url()))

    # then the reason stands above the pay form, which is still there to send again
    flag = text.index("The seller did not accept your last payment.")
    assert "Your payment of Rp 75.000 was rejected: Nothing arrived in BCA under this name." in text
    assert flag < text.index('id="pay"') < text.index('id="payments"')


def test_a_payment_sent_again_after_a_rejection_is_no_longer_flagged(client, open_campaign):
    # given a rejected proof, then a new one waiting
    order = make_order(open_campaign, note="Green")
    reject_payment(
        payment=payment_in_review(order), reason="Blurry.", actor=open_campaign.shop.owner
    )
    payment_in_review(order)

    text = page_text(client.get(order.get_absolute_url()))

    assert "did not accept your last payment" not in text
    assert "Rejected: Blurry." in text  # still listed, with its state


def test_after_a_proof_is_sent_paying_is_not_ahead_and_the_payment_shows_once(
    client, open_campaign
):
    # given a proof waiting for review
    order = make_order(open_campaign, note="Green")
    payment_in_review(order)

    text = page_text(client.get(order.get_absolute_url()))

    # then no step asks to pay, no pay card, and the payment is listed once with its state
    titles = [step.title for step in order_timeline(order, payment_waiting=True)]
    assert "Pay the deposit" not in titles
    assert "Pay the deposit" not in text
    assert "Pay your down payment" not in text
    assert text.count("is waiting for the seller's review") == 1
    # and without a proof waiting the step is there
    assert "Pay the deposit" in [step.title for step in order_timeline(order)]


# --- estimates that became facts ----------------------------------------------------------------


@pytest.fixture
def pins(shop):
    return make_campaign(
        shop, title="Enamel pin", slug="pin", min_quantity=2, capacity=None, deposit_rule="full"
    )


def test_once_production_finished_its_date_is_no_estimate_and_only_shipping_moves(
    seller, shop, pins
):
    # given production finished
    paid_orders(pins, 2, actor=shop.owner)

    # then the public terms and the overview say it finished, and the shipping estimate stays
    public = page_text(seller.get(pins.get_absolute_url()))
    assert re.search(r"Production time</dt>\s*<dd>Finished</dd>", public)
    assert "Estimated shipping" in public
    page = overview(seller, pins)
    assert re.search(r"End of production</dt>\s*<dd>Finished</dd>", page)
    assert 'name="production_ends_on"' not in page
    assert 'name="ships_on"' in page
    # and the service refuses to move the end of production
    with pytest.raises(RevisionRefused, match="Production has finished"):
        revise_dates(
            campaign=pins,
            production_ends_on=pins.current_production_ends_on,
            ships_on=None,
            reason="Late",
            actor=shop.owner,
        )


def test_once_shipped_no_estimate_and_no_decisions_are_left(seller, shop, pins):
    # given the first order shipped
    orders = paid_orders(pins, 2, actor=shop.owner)
    mark_shipped(order=orders[0], carrier="JNE", tracking_number="JN1", actor=shop.owner)
    pins.refresh_from_db()
    assert pins.status == Campaign.Status.SHIPPING

    public = page_text(seller.get(pins.get_absolute_url()))
    assert "Estimated shipping" not in public
    assert "Shipped: orders are on their way to their buyers." in public
    page = overview(seller, pins)
    assert "Estimated dates" not in page
    assert 'id="decisions-title"' not in page
    poster = page_text(seller.get(f"/dashboard/{shop.slug}/campaigns/{pins.pk}/poster/"))
    assert "Estimated shipping" not in poster


# --- progress in the same words -----------------------------------------------------------------


def test_buyers_and_the_seller_read_the_same_progress(seller, shop, open_campaign):
    # given 3 units ordered, 2 of them paid
    make_order(open_campaign, quantity=1, note="Green")
    confirmed_order(open_campaign, quantity=2, note="Green")

    words = "3 ordered, 2 paid, 5 needed"
    assert words in page_text(seller.get(open_campaign.get_absolute_url()))
    assert words in page_text(seller.get(shop.get_absolute_url()))
    assert words in overview(seller, open_campaign)
    assert words in page_text(seller.get(f"/dashboard/{shop.slug}/"))


# --- the go decision ----------------------------------------------------------------------------


def choose_quote(campaign, *, unit_cost: str, minimum: int) -> VendorQuote:
    vendor = Vendor.objects.create(shop=campaign.shop, name="Konveksi Maju")
    return VendorQuote.objects.create(
        campaign=campaign,
        vendor=vendor,
        unit_cost=Decimal(unit_cost),
        lead_time_days=14,
        vendor_minimum=minimum,
        chosen=True,
    )


def test_the_go_decision_shows_the_chosen_quote_and_the_margin_at_confirmed_units(
    seller, open_campaign
):
    # given 5 Green totes paid (Rp 150.000 and 165.000: Rp 157.500 average) and a quote
    for _ in range(5):
        confirmed_order(open_campaign, note="Green")
    close_window(open_campaign)
    choose_quote(open_campaign, unit_cost="60000", minimum=5)

    page = overview(seller, open_campaign)

    assert "Start production" in page
    assert "Konveksi Maju" in page
    assert "5 units at Rp 60.000 each" in page
    assert re.search(r"Revenue at 5 confirmed units</dt><dd>Rp 787.500</dd>", page)
    assert re.search(r"Production cost</dt><dd>Rp 300.000</dd>", page)
    assert "Rp 487.500" in page
    assert "would lose" not in page


def test_the_go_decision_warns_when_the_vendor_minimum_makes_production_lose_money(
    seller, open_campaign
):
    # given 5 paid where the vendor bills at least 50 units at Rp 100.000
    for _ in range(5):
        confirmed_order(open_campaign, note="Green")
    close_window(open_campaign)
    choose_quote(open_campaign, unit_cost="100000", minimum=50)

    page = overview(seller, open_campaign)

    # revenue 787.500, cost 5.000.000: a loss of 4.212.500
    assert (
        "Production would lose Rp 4.212.500 at today's confirmed units: the vendor bills at "
        "least 50 units." in page
    )


def test_without_a_chosen_quote_the_go_decision_points_to_the_quotes(seller, open_campaign):
    for _ in range(5):
        confirmed_order(open_campaign, note="Green")
    close_window(open_campaign)

    page = overview(seller, open_campaign)

    assert "No vendor quote chosen" in page
    assert f"/campaigns/{open_campaign.pk}/quotes/" in page
