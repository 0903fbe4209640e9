"""A seller publishes a draft once buyers can ask and pay, and unpublishes a campaign nobody
holds units in; a new shop's home lists the first steps until it has sold."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignEvent
from orders.models import Order
from payments.models import PaymentAccount
from tests.campaigns.editor import url
from tests.factories import make_campaign, make_order
from tests.support import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(shop):
    return make_campaign(shop, slug="draft", status=Campaign.Status.DRAFT)


@pytest.fixture
def ready(shop):
    """The shop has a WhatsApp number and a bank account buyers can pay into."""
    shop.whatsapp = "+6281234567890"
    shop.save(update_fields=["whatsapp"])
    PaymentAccount.objects.create(shop=shop, provider="BCA", number="123", holder="Rajut")
    return shop


def test_publishing_a_draft_writes_who_published_it(seller, ready, shop, draft):
    # when
    response = seller.post(url("campaign_publish", shop, draft), follow=True)
    # then
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.PUBLISHED
    event = draft.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.PUBLISHED, shop.owner)
    assert "Published: buyers can see this campaign." in page_text(response)
    assert seller.get(draft.get_absolute_url()).status_code == 200


def test_a_draft_without_variants_cannot_be_published(seller, shop, draft):
    # given the draft's only variant is gone
    draft.variants.all().delete()
    # when
    response = seller.post(url("campaign_publish", shop, draft), follow=True)
    # then
    assert "Add at least one variant before publishing." in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT
    assert not draft.events.exists()


def test_a_draft_whose_window_has_closed_cannot_be_published(seller, shop):
    now = timezone.now()
    late = make_campaign(
        shop,
        status=Campaign.Status.DRAFT,
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=2),
    )
    response = seller.post(url("campaign_publish", shop, late), follow=True)
    assert "The order window has already closed" in page_text(response)
    late.refresh_from_db()
    assert late.status == Campaign.Status.DRAFT


def test_a_published_campaign_cannot_be_published_again(seller, shop, open_campaign):
    response = seller.post(url("campaign_publish", shop, open_campaign), follow=True)
    assert "Only a draft can be published." in page_text(response)
    assert not open_campaign.events.exists()


def test_unpublishing_before_any_order_goes_back_to_draft(seller, shop, open_campaign):
    # when
    response = seller.post(url("campaign_unpublish", shop, open_campaign), follow=True)
    # then
    open_campaign.refresh_from_db()
    assert open_campaign.status == Campaign.Status.DRAFT
    event = open_campaign.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.UNPUBLISHED, shop.owner)
    assert "Back to draft" in page_text(response)
    # and buyers no longer find it (the team still previews it)
    seller.logout()
    assert seller.get(open_campaign.get_absolute_url()).status_code == 404


def test_a_campaign_with_units_ordered_stays_published(seller, shop, open_campaign):
    overview = reverse("dashboard:campaign", args=[shop.slug, open_campaign.pk])
    unpublish = url("campaign_unpublish", shop, open_campaign)
    assert unpublish in page_text(seller.get(overview))
    # given a buyer holds 2 units
    make_order(open_campaign, quantity=2, note="Green, “SARI”")
    # then the overview no longer offers to unpublish
    assert unpublish not in page_text(seller.get(overview))
    # when the seller tries to unpublish
    response = seller.post(url("campaign_unpublish", shop, open_campaign), follow=True)
    # then
    assert "Buyers have ordered 2 units, so this campaign stays published." in page_text(response)
    open_campaign.refresh_from_db()
    assert open_campaign.status == Campaign.Status.PUBLISHED
    assert not open_campaign.events.exists()


def test_a_campaign_whose_orders_all_expired_can_be_unpublished(seller, shop, open_campaign):
    # given an order that expired and gave its units back
    order = make_order(open_campaign, quantity=2, note="Green, “SARI”")
    Order.objects.filter(pk=order.pk).update(status=Order.Status.EXPIRED)
    Campaign.objects.filter(pk=open_campaign.pk).update(reserved=0)
    # when
    seller.post(url("campaign_unpublish", shop, open_campaign))
    # then
    open_campaign.refresh_from_db()
    assert open_campaign.status == Campaign.Status.DRAFT


@pytest.mark.parametrize("name", ["campaign_publish", "campaign_unpublish"])
def test_publish_and_unpublish_are_posts(seller, shop, open_campaign, name):
    assert seller.get(url(name, shop, open_campaign)).status_code == 405


# --- only what buyers can pay ---------------------------------------------------------------------


def test_a_shop_with_nowhere_to_pay_cannot_publish(seller, shop, draft):
    # given a WhatsApp number but no payment account (an inactive one does not count)
    shop.whatsapp = "+6281234567890"
    shop.save(update_fields=["whatsapp"])
    PaymentAccount.objects.create(shop=shop, provider="BCA", holder="Rajut", is_active=False)

    # when
    response = seller.post(url("campaign_publish", shop, draft), follow=True)

    # then the seller reads what to add, and nothing changed
    assert "Add where buyers pay (a bank account, an e-wallet or a QR code)" in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT
    assert not draft.events.exists()


def test_a_shop_buyers_cannot_ask_cannot_publish(seller, shop, draft):
    # given a bank account but neither WhatsApp nor a contact e-mail
    PaymentAccount.objects.create(shop=shop, provider="BCA", number="123", holder="Rajut")

    response = seller.post(url("campaign_publish", shop, draft), follow=True)

    assert "Add the shop's WhatsApp number (or a contact e-mail)" in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT


def test_the_home_page_lists_first_steps_until_the_first_order(seller, shop, draft):
    home = reverse("dashboard:home", args=[shop.slug])

    # given a new shop: every step is still to do
    page = seller.get(home).content.decode()
    assert "Your first steps" in page
    assert page.count('<li class="done">') == 0

    # when it writes its policy, adds WhatsApp and a bank account, and publishes
    shop.policy = "DP is not refunded once production starts."
    shop.whatsapp = "+6281234567890"
    shop.save(update_fields=["policy", "whatsapp"])
    PaymentAccount.objects.create(shop=shop, provider="BCA", number="123", holder="Rajut")
    seller.post(url("campaign_publish", shop, draft))

    # then four are ticked off, and sharing is left
    page = seller.get(home).content.decode()
    assert page.count('<li class="done">') == 4
    assert "your first order ticks this off" in page

    # and once someone orders, the list is gone
    draft.refresh_from_db()
    make_order(draft, note="Green, SARI")
    assert "Your first steps" not in seller.get(home).content.decode()
