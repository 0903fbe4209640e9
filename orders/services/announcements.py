"""Updates a seller sends to every buyer of a campaign: stored for the order pages, emailed."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from campaigns.models import Announcement, Campaign, CampaignEvent
from kernel.clock import shop_time
from kernel.sentences import say_plural
from orders import emails
from orders.exceptions import AnnouncementRefused

MAX_LENGTH = Announcement._meta.get_field("text").max_length


@transaction.atomic
def announce(*, campaign: Campaign, text: str, actor: AbstractBaseUser | None) -> Announcement:
    """Post `text` to the campaign's order pages and email it to its buyers.

    Rules: the text is not empty (surrounding spaces do not count) and at most MAX_LENGTH
    characters; one email per buyer address with an active order, sent after commit; the
    campaign's timeline records that it went out.
    """
    text = text.strip()
    if not text:
        raise AnnouncementRefused(_("Write the update buyers should read."))
    if len(text) > MAX_LENGTH:
        raise AnnouncementRefused(_("Keep the update to %(max)d characters.") % {"max": MAX_LENGTH})
    announcement = Announcement.objects.create(campaign=campaign, text=text, actor=actor)
    sent = emails.email_campaign_buyers(
        campaign,
        "campaign_announcement",
        lambda language: {
            "text": text,
            "sent_on": shop_time(campaign.shop, announcement.created_at, language),
        },
    )
    CampaignEvent.objects.create(
        campaign=campaign,
        kind=CampaignEvent.Kind.NOTE,
        actor=actor,
        note=say_plural(
            "Update emailed to %(count)d buyer: %(text)s",
            "Update emailed to %(count)d buyers: %(text)s",
            sent,
            text=text,
        ),
    )
    return announcement
