"""The buyer's private waiting-list page: their place in line, the units held for them and the
form to order them, and a way to leave."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from campaigns.models import Role
from campaigns.views.access import seller_view
from kernel.ratelimit import allow_rate
from kernel.whatsapp import wa_link
from orders import chat
from orders.exceptions import OrderRefused, WaitlistRefused
from orders.forms.public import OrderForm
from orders.models import WaitlistEntry
from orders.selectors import campaign_waitlist as campaign_waitlist_of
from orders.selectors import place_in_line, waitlist_entry_for_buyer
from orders.services.placing import place_order
from orders.services.waitlist import lapse_offers, leave_waitlist

E = WaitlistEntry.Status


def _entry(token: str) -> WaitlistEntry:
    try:
        return waitlist_entry_for_buyer(token)
    except WaitlistEntry.DoesNotExist:
        raise Http404 from None


@never_cache
def waitlist_entry(request, token):
    entry = _entry(token)
    now = timezone.now()
    if entry.status == E.OFFERED and entry.offer_expires_at <= now:
        # Past its time: the units pass on now, not at the next tick.
        lapse_offers(now=now, campaign=entry.campaign)
        entry = _entry(token)
    form, status = None, 200
    if request.method == "POST" and "leave" in request.POST:
        leave_waitlist(entry=entry)
        return redirect(entry.get_absolute_url())
    if entry.status == E.OFFERED:
        form = _offer_form(entry, request.POST if request.method == "POST" else None)
        if form.is_bound:
            status, placed = _order(request, entry, form)
            if placed is not None:
                return redirect(placed.get_absolute_url() + "#main")
    elif request.method == "POST":
        # The hold ended while the page was open: the page now says so.
        status = 409
    context = {
        "entry": entry,
        "campaign": entry.campaign,
        "shop": entry.campaign.shop,
        "place": place_in_line(entry),
        "form": form,
    }
    if entry.campaign.shop.whatsapp:
        context["chat_link"] = wa_link(
            chat.waitlist_question(entry), phone=entry.campaign.shop.whatsapp
        )
    response = render(request, "orders/waitlist_entry.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _offer_form(entry: WaitlistEntry, data) -> OrderForm:
    return OrderForm(
        data,
        campaign=entry.campaign,
        variants=[entry.variant],
        quantity=entry.held,
        buyer={"buyer_name": entry.name, "buyer_phone": entry.phone, "buyer_email": entry.email},
    )


def _order(request, entry, form):
    """The offer's order form sent: (status, the order placed or None)."""
    if not allow_rate(request, "order", settings.ORDER_RATE):
        form.full_clean()
        form.add_error(None, _("Too many orders from your connection; try again in a few minutes."))
        return 429, None
    if not form.is_valid():
        return 400, None
    try:
        order = place_order(
            campaign=entry.campaign,
            lines=form.line_requests(),
            buyer=form.buyer(language=request.LANGUAGE_CODE),
            idempotency_key=form.key(),
            offer=entry,
        )
    except (OrderRefused, WaitlistRefused) as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return refusal.http_status, None
    return 200, order


# --- the seller's side ---------------------------------------------------------------------------


@require_safe
@seller_view(Role.STAFF)
def campaign_waitlist(request, shop, campaign_id):
    """The campaign's waiting list: who waits for what, in order, the units held and until when
    (with the WhatsApp message to send), and the orders it made."""
    campaign = get_object_or_404(shop.campaigns, pk=campaign_id)
    waitlist = campaign_waitlist_of(campaign)
    for entry in waitlist.entries:
        if entry.status == E.OFFERED:
            entry.campaign = campaign
            entry.chat_link = wa_link(
                chat.waitlist_offer(
                    entry, url=request.build_absolute_uri(entry.get_absolute_url())
                ),
                phone=entry.phone,
            )
    return render(
        request,
        "dashboard/orders/waitlist.html",
        {"shop": shop, "campaign": campaign, "waitlist": waitlist},
    )
