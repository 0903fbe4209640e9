"""Who may see a seller page: a logged-in member of the shop named in the URL whose role allows
it, nobody else; and no cache on the way keeps a copy (dashboard pages, exports and proofs show
buyers' details).

Every seller view names the least role it needs, `@seller_view(Role.STAFF)` and up: there is no
default to forget (tests/test_roles.py tries every dashboard URL with every role).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control

from campaigns.models import Membership, Role


def seller_view(role: Role):
    """Login required; `shop_slug` becomes the Shop, or a 404 for anyone not a member, and a 403
    page for a member whose role is below `role` (the view never runs, so nothing changes).

    Views then fetch every object through `shop`, so another shop's campaign, order or file is a
    404 too. `request.membership` holds the member's role for the page. Times are read and shown
    in the shop's time zone. Every answer says `Cache-Control: private, no-store`.
    """
    if not isinstance(role, Role):
        raise TypeError("seller_view needs the least role the view allows: seller_view(Role.X)")

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, shop_slug, *args, **kwargs):
            membership = get_object_or_404(
                Membership.objects.select_related("shop"), shop__slug=shop_slug, user=request.user
            )
            shop = membership.shop
            request.membership = membership
            with timezone.override(shop.time_zone):
                if membership.allows(role):
                    response = view(request, shop, *args, **kwargs)
                else:
                    response = render(
                        request,
                        "dashboard/forbidden.html",
                        {"shop": shop, "needed": role},
                        status=403,
                    )
            patch_cache_control(response, private=True, no_store=True)
            return response

        wrapper.least_role = role
        return wrapper

    return decorator
