"""Staff cannot store what the rules forbid: what the services own stays read-only, orders are never
added or deleted by hand, a capacity under the units ordered is a form error."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order
from payments.models import Payment, Refund
from tests.factories import make_order


def test_capacity_below_units_ordered_is_a_form_error_not_a_crash(staff_client, open_campaign):
    # given 3 units ordered
    make_order(open_campaign, quantity=3, note="x")
    url = reverse("admin:campaigns_campaign_change", args=[open_campaign.pk])
    # when staff lowers the capacity under what buyers hold
    response = staff_client.post(url, {**_post_data(staff_client, url), "capacity": "2"})
    # then the form says why and nothing changes
    assert response.status_code == 200
    assert "already ordered" in response.content.decode()
    open_campaign.refresh_from_db()
    assert open_campaign.capacity == 10


def _post_data(client, url):
    """The admin change form as the browser would send it back unchanged."""
    response = client.get(url)
    data = {}
    for form in [response.context["adminform"].form, *_inline_forms(response)]:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            if hasattr(value, "isoformat"):
                local = timezone.localtime(value)
                data[form.add_prefix(name) + "_0"] = local.strftime("%Y-%m-%d")
                data[form.add_prefix(name) + "_1"] = local.strftime("%H:%M:%S")
                continue
            data[form.add_prefix(name)] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def _inline_forms(response):
    for formset in response.context["inline_admin_formsets"]:
        yield from formset.formset.forms


def test_staff_cannot_add_or_delete_orders_by_hand(staff_client, placed_order):
    # Orders are made by buyers through place_order, which takes the units; never by hand.
    assert staff_client.get(reverse("admin:orders_order_add")).status_code == 403
    delete = reverse("admin:orders_order_delete", args=[placed_order.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert Order.objects.filter(pk=placed_order.pk).exists()


# --- read-only where services own the value -----------------------------------------------------


def test_order_status_and_amounts_cannot_be_changed_by_post(staff_client, placed_order):
    # given the change form sent back with forged values
    url = reverse("admin:orders_order_change", args=[placed_order.pk])
    data = _post_data(staff_client, url)
    data.update(
        status="paid",
        subtotal="1",
        deposit_amount="1",
        balance_amount="0",
        buyer_name="Sari Corrected",
    )
    # when
    response = staff_client.post(url, data)
    # then the buyer's name is corrected, and nothing the services own moved
    assert response.status_code == 302
    before = placed_order
    placed_order.refresh_from_db()
    assert placed_order.buyer_name == "Sari Corrected"
    assert placed_order.status == Order.Status.PENDING
    assert placed_order.subtotal == before.deposit_amount + before.balance_amount
    assert placed_order.subtotal == Decimal(300_000)


def test_campaign_status_and_reserved_cannot_be_changed_by_post(staff_client, placed_order):
    # given
    campaign = placed_order.campaign
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    data = _post_data(staff_client, url)
    data.update(status="completed", reserved="0", **{"variants-0-reserved": "0"})
    # when
    response = staff_client.post(url, data)
    # then
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PUBLISHED
    assert campaign.reserved == 2
    assert campaign.variants.get(name="Green").reserved == 2


def test_payments_and_refunds_cannot_be_changed_added_or_deleted(
    staff_client, everything, cancelled_with_refund
):
    payment = Payment.objects.filter(order=everything).get()
    refund = Refund.objects.get(order=cancelled_with_refund)
    for model, obj in [("payments_payment", payment), ("payments_refund", refund)]:
        # when staff posts to the change, add and delete pages
        change = staff_client.post(
            reverse(f"admin:{model}_change", args=[obj.pk]), {"amount": "1", "status": "verified"}
        )
        add = staff_client.get(reverse(f"admin:{model}_add"))
        delete = staff_client.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"})
        # then every one is refused
        assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403), model
    payment.refresh_from_db()
    refund.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED
    assert refund.status == Refund.Status.PENDING
