"""Who may see a seller page: a logged-in member of the shop named in the URL, nobody else; and
no cache on the way keeps a copy (dashboard pages, exports and proofs show buyers' details)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control

from campaigns.models import Shop


def seller_view(view):
    """Login required; `shop_slug` becomes the Shop, or a 404 for anyone not a member.

    Views then fetch every object through `shop`, so another shop's campaign, order or file is a
    404 too. Times are read and shown in the shop's time zone. Every answer says
    `Cache-Control: private, no-store`.
    """

    @login_required
    @wraps(view)
    def wrapper(request, shop_slug, *args, **kwargs):
        shop = get_object_or_404(Shop.objects.filter(members=request.user), slug=shop_slug)
        with timezone.override(shop.time_zone):
            response = view(request, shop, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper
