"""The seller revises a campaign's estimated dates; every buyer is told the new dates and why."""

from datetime import date
from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignEvent
from kernel import sentences
from kernel.clock import shop_day
from kernel.sentences import say
from orders import emails
from orders.exceptions import RevisionRefused
from orders.models import Order, OrderEvent

# Before shipping the estimates still mean something to buyers; after a stop there is nothing
# left to wait for.
REVISABLE = (Campaign.Status.PUBLISHED, Campaign.Status.IN_PRODUCTION, Campaign.Status.READY)
REASON_MAX_LENGTH = Campaign._meta.get_field("revision_reason").max_length


def revise_dates(
    *,
    campaign: Campaign,
    production_ends_on: date | None,
    ships_on: date | None,
    reason: str,
    actor: AbstractBaseUser | None,
) -> Campaign:
    """Set the revised estimated end of production and/or shipping date of a campaign.

    Rules: the campaign is published, in production or ready (not draft, stopped or shipping), and
    once production finished (ready) only the shipping date moves; a reason is given (at most
    REASON_MAX_LENGTH characters); at least one date changes the current estimate; no date is before
    today in the shop's calendar; shipping is not before production ends. The campaign's timeline
    records the old and new dates with the reason, and every buyer with an active order is emailed
    once per address, after commit.
    Returns the fresh campaign.
    """
    reason = reason.strip()
    if not reason:
        raise RevisionRefused(_("Tell buyers why the dates change."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise RevisionRefused(
            _("Keep the reason to %(max)d characters.") % {"max": REASON_MAX_LENGTH},
            field="reason",
        )
    if production_ends_on is None and ships_on is None:
        raise RevisionRefused(_("Enter a new production end, a new shipping date, or both."))
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("shop").get(pk=campaign.pk)
        if locked.status not in REVISABLE:
            raise RevisionRefused(
                _("The dates of a campaign that is %(status)s cannot be revised.")
                % {"status": locked.get_status_display().lower()}
            )
        if production_ends_on is not None and locked.production_finished:
            raise RevisionRefused(
                _("Production has finished: only the shipping date can change."),
                field="production_ends_on",
            )
        today = timezone.localdate(timezone=ZoneInfo(locked.shop.time_zone))
        for field, day in (("production_ends_on", production_ends_on), ("ships_on", ships_on)):
            if day is not None and day < today:
                raise RevisionRefused(_("Choose a date from today on."), field=field)
        was_production, was_ships = locked.current_production_ends_on, locked.current_ships_on
        if production_ends_on is not None:
            locked.revised_production_ends_on = production_ends_on
        if ships_on is not None:
            locked.revised_ships_on = ships_on
        if locked.current_ships_on < locked.current_production_ends_on:
            raise RevisionRefused(
                _("Shipping cannot start before production ends (%(day)s).")
                % {"day": shop_day(locked.current_production_ends_on)},
                field="ships_on",
            )
        if (locked.current_production_ends_on, locked.current_ships_on) == (
            was_production,
            was_ships,
        ):
            raise RevisionRefused(_("These are already the estimated dates."))
        locked.revision_reason = reason
        locked.save(
            update_fields=[
                "revised_production_ends_on",
                "revised_ships_on",
                "revision_reason",
                "updated_at",
            ]
        )
        CampaignEvent.objects.create(
            campaign=locked,
            kind=CampaignEvent.Kind.NOTE,
            actor=actor,
            note=say(
                "Estimated dates revised. End of production: %(was_production)s → "
                "%(production)s. Shipping: %(was_ships)s → %(ships)s. Reason: %(reason)s",
                was_production=sentences.day(was_production),
                production=sentences.day(locked.current_production_ends_on),
                was_ships=sentences.day(was_ships),
                ships=sentences.day(locked.current_ships_on),
                reason=reason,
            ),
        )

        def dates(language: str) -> dict[str, str]:
            def day(value: date) -> str:
                return shop_day(value, language)

            return {
                "reason": reason,
                "production_ends": day(locked.current_production_ends_on),
                "production_was": day(was_production),
                "ships": day(locked.current_ships_on),
                "ships_was": day(was_ships),
                # Past the shop's threshold each buyer chooses on their order page.
                "may_choose": "yes" if locked.delay_beyond_threshold else "",
                "threshold": str(locked.shop.delay_threshold_days),
            }

        emails.email_campaign_buyers(locked, "dates_revised", dates)
    campaign.revised_production_ends_on = locked.revised_production_ends_on
    campaign.revised_ships_on = locked.revised_ships_on
    campaign.revision_reason = locked.revision_reason
    return locked


def delay_choice_open(order: Order) -> bool:
    """The buyer may choose to keep waiting or cancel: shipping is estimated later than first
    announced by more than the shop's threshold, the order has not shipped, and the buyer has
    not yet agreed to wait for this estimate (a later slip asks again)."""
    campaign = order.campaign
    return (
        order.status in Order.DELAY_CHOICE
        and campaign.delay_beyond_threshold
        and (order.waits_until is None or order.waits_until < campaign.current_ships_on)
    )


def keep_waiting(*, order: Order) -> Order:
    """The buyer agrees to wait for the revised shipping estimate.

    Rules: only while the choice is open (checked under the order's lock, so a double tap writes
    once); the timeline says what they agreed to.
    """
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",))
            .select_related("campaign__shop")
            .get(pk=order.pk)
        )
        if not delay_choice_open(locked):
            raise RevisionRefused(_("There is nothing to choose on this order now."))
        locked.waits_until = locked.campaign.current_ships_on
        locked.save(update_fields=["waits_until", "updated_at"])
        OrderEvent.objects.create(
            order=locked,
            kind=OrderEvent.Kind.NOTE,
            note=say(
                "The buyer chose to keep waiting for shipping around %(day)s.",
                day=sentences.day(locked.waits_until),
            ),
        )
    order.waits_until = locked.waits_until
    return locked
