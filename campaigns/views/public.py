import copy
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import Campaign, Shop
from campaigns.views.video import campaign_video
from kernel.ratelimit import allow_rate
from kernel.whatsapp import wa_link
from orders import chat
from orders.exceptions import OrderRefused, WaitlistRefused
from orders.forms.public import OrderForm, new_idempotency_key
from orders.forms.waitlist import WaitlistForm, sold_out_variants
from orders.services.placing import free_overdue, place_order
from orders.services.waitlist import join_waitlist


def shop_detail(request, shop_slug):
    shop = get_object_or_404(Shop, slug=shop_slug)
    campaigns = selectors.shop_campaigns(shop)
    return render(request, "campaigns/shop_detail.html", {"shop": shop, "campaigns": campaigns})


# How long a rendered campaign page is kept. Its key changes with whatever it shows, so this
# only bounds how long an entry nobody asks for any more takes room.
PAGE_CACHE_SECONDS = 600
# Columns every order changes: never part of the page's key; what they show is rendered fresh.
COUNTERS = frozenset({"reserved", "held"})


def campaign_detail(request, shop_slug, campaign_slug):
    """The public campaign page; it also takes the order form's POST."""

    def load():
        try:
            return selectors.public_campaign(
                shop_slug=shop_slug,
                campaign_slug=campaign_slug,
                user=request.user,
                page=request.method != "POST",
            )
        except Campaign.DoesNotExist:
            raise Http404 from None

    campaign = load()
    # A sold-out campaign first gives back the units of orders whose deposit deadline passed
    # and of waiting-list holds past their time (DESIGN.md, Time): the next in line gets them,
    # or the buyer looking at it when nobody waits.
    if campaign.phase == Campaign.Phase.SOLD_OUT and free_overdue(
        now=timezone.now(), campaign=campaign
    ):
        campaign = load()
    if request.method != "POST":
        if campaign.status == Campaign.Status.DRAFT:  # a member's preview, never kept
            selectors.load_page_rows(campaign)
            return render_campaign_page(request, campaign, OrderForm(campaign=campaign))
        return cached_campaign_page(request, campaign)
    if "join_waitlist" in request.POST:
        waitlist_form = WaitlistForm(request.POST, variants=sold_out_variants(campaign))
        status, joined = _join(request, campaign, waitlist_form)
        if joined is not None:
            return joined
        return render_campaign_page(
            request,
            campaign,
            OrderForm(campaign=campaign),
            waitlist_form=waitlist_form,
            status=status,
        )
    form = OrderForm(request.POST, campaign=campaign)
    if not allow_rate(request, "order", settings.ORDER_RATE):
        # The form comes back as typed, with nothing ordered.
        form.full_clean()
        form.add_error(None, _("Too many orders from your connection; try again in a few minutes."))
        status = 429
    elif form.is_valid():
        try:
            order = place_order(
                campaign=campaign,
                lines=form.line_requests(),
                buyer=form.buyer(language=request.LANGUAGE_CODE),
                idempotency_key=form.key(),
            )
        except OrderRefused as refusal:
            field = refusal.field if refusal.field in form.fields else None
            form.add_error(field, refusal.message)
            status = refusal.http_status
        else:
            # An own fragment, or the browser carries the form's #order onto the link
            # the buyer keeps.
            return redirect(order.get_absolute_url() + "#main")
    else:
        status = 400
    return render_campaign_page(request, campaign, form, status=status)


def render_campaign_page(
    request, campaign, form, *, live=None, csrf_token=None, status=200, waitlist_form=None
):
    """The page with `form` (and the waiting list's form where something is sold out);
    `live` and `csrf_token` stand in for what cached_campaign_page fills in per response (by
    default their values now)."""
    live = live or live_parts(campaign)
    if waitlist_form is None and (waitlist_variants := sold_out_variants(campaign)):
        waitlist_form = WaitlistForm(variants=waitlist_variants)
    for variant in campaign.variants.all():
        variant.units_left_now = live.get(f"variant-{variant.pk}")
    context = {
        "campaign": campaign,
        "shop": campaign.shop,
        "form": form,
        "waitlist_form": waitlist_form,
        "live": live,
        "video": campaign_video(campaign.video_url),
    }
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    if campaign.shop.whatsapp:
        url = request.build_absolute_uri(campaign.get_absolute_url())
        context["chat_link"] = wa_link(
            chat.campaign_question(campaign, url=url), phone=campaign.shop.whatsapp
        )
    return render(request, "campaigns/campaign_detail.html", context, status=status)


def live_parts(campaign) -> dict:
    """What changes with every order or with the clock, rendered for this response: the status
    pill (its countdown), the progress bar, units left of the campaign and of each variant."""
    context = {"campaign": campaign, "shop": campaign.shop}
    with timezone.override(campaign.shop.time_zone):
        parts = {
            "status": mark_safe(render_to_string("campaigns/_status.html", context)),  # noqa: S308 - our template's output
            "progress": mark_safe(render_to_string("campaigns/_progress.html", context)),  # noqa: S308
            "units_left": campaign.units_left,
        }
    for variant in campaign.variants.all():
        parts[f"variant-{variant.pk}"] = variant.units_left
    return parts


def cached_campaign_page(request, campaign):
    """The campaign page from the cache, with what is per buyer or per moment filled in.

    The page is rendered once per key with a marker in each live part (live_parts), in the
    CSRF token and in the idempotency key, and each response replaces the markers. The key is
    a digest of every row the page shows, counters aside (COUNTERS), of its phase (open, sold
    out, ...), language and address, so a price edit, a new photo, a shipping zone, a sell-out
    or the window closing shows at once, without anything having to clear the cache. The page
    has no inline script: a CSP nonce, being per response, would need a marker of its own.

    The photos, pickup points and zones are in the key as the text the campaign's query read
    (selectors.PAGE_ROWS) and are loaded only to render.
    """
    key = page_key(request, campaign)
    entry = cache.get(key)
    if entry is None:
        selectors.load_page_rows(campaign)
        nonce = secrets.token_hex(8)  # a seller cannot type what they never saw
        live = live_parts(campaign)
        markers = {name: f"live-{nonce}-{name}" for name in [*live, "csrf", "key"]}
        form = OrderForm(campaign=campaign)
        form.initial["idempotency_key"] = markers["key"]
        # Links to the page itself (the language switch, the link preview) leave out the
        # query string: one copy serves the links shared with tracking parameters too.
        plain = copy.copy(request)
        plain.META = {**request.META, "QUERY_STRING": ""}
        page = render_campaign_page(
            plain,
            campaign,
            form,
            live={name: markers[name] for name in live},
            csrf_token=markers["csrf"],
        )
        entry = (markers, page.content.decode())
        # Kept only if those rows read the same after their load as in the key: a photo added
        # in between shows now, and is never kept under the key of the page without it.
        if selectors.page_rows_text(campaign) == campaign.page_rows:
            cache.set(key, entry, PAGE_CACHE_SECONDS)
    markers, html = entry
    values = live_parts(campaign) | {"csrf": get_token(request), "key": new_idempotency_key()}
    for name, marker in markers.items():
        html = html.replace(marker, "" if values[name] is None else str(values[name]))
    return HttpResponse(html)


def page_key(request, campaign) -> str:
    rows = [campaign, campaign.shop, *campaign.variants.all()]
    shown = [
        campaign.page_rows,
        translation.get_language(),
        request.scheme,
        request.get_host(),
        request.path,
        campaign.phase,
        # Which items offer the waiting list: a variant sells out while the PO stays open.
        sorted(variant.pk for variant in sold_out_variants(campaign)),
    ]
    for row in rows:
        shown.append(row._meta.label)
        shown += [
            getattr(row, field.attname)
            for field in row._meta.concrete_fields
            if field.attname not in COUNTERS
        ]
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return f"campaign-page:{campaign.pk}:{digest}"


def _join(request, campaign, form):
    """The waiting list's form sent from the campaign page: (status, a redirect or None)."""
    if not allow_rate(request, "waitlist", settings.WAITLIST_RATE):
        form.full_clean()
        form.add_error(
            None, _("Too many requests from your connection; try again in a few minutes.")
        )
        return 429, None
    if not form.is_valid():
        return 400, None
    data = form.cleaned_data
    try:
        entry, created = join_waitlist(
            campaign=campaign,
            variant_id=data["variant"],
            quantity=data["quantity"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            language=request.LANGUAGE_CODE,
        )
    except WaitlistRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return refusal.http_status, None
    if created:
        # An own fragment, or the browser carries the form's #waitlist onto the private link.
        return 200, redirect(entry.get_absolute_url() + "#main")
    # Said the same way whoever typed the number: the link goes only to the e-mail given first.
    form.already = True
    return 200, None
