"""A seller's own shop: signing up with it, its settings, and who may run it."""

from django.contrib import messages
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from campaigns.exceptions import OwnerOnly, ShopRefused, ShopSlugTaken
from campaigns.forms.shop import AddMemberForm, ShopSettingsForm, SignupForm
from campaigns.models import Shop
from campaigns.services import shops
from campaigns.views.access import seller_view


@sensitive_post_parameters("password1", "password2")
def signup(request):
    """A new seller's account and shop; they land, logged in, on the shop's dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard:pick_shop")
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            try:
                shop = shops.create_seller(**form.seller())
            except ShopRefused as refusal:
                form.add_error(refusal.field, refusal.message)
            else:
                login(request, shop.owner, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to OpenPO! Your shop is ready."))
                return redirect("dashboard:home", shop_slug=shop.slug)
    else:
        form = SignupForm()
    return render(request, "registration/signup.html", {"form": form})


@seller_view
def shop_settings(request, shop):
    if request.method == "POST":
        # The form edits its own copy: a refused new web address must not leak into the
        # page's links, which are built from `shop`.
        form = ShopSettingsForm(request.POST, request.FILES, instance=Shop.objects.get(pk=shop.pk))
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = form.save()
            except IntegrityError:
                # Another shop took the address between the check and the save.
                form.add_error("slug", ShopSlugTaken.message)
            else:
                messages.success(request, _("Shop settings saved."))
                return redirect("dashboard:shop_settings", shop_slug=saved.slug)
    else:
        form = ShopSettingsForm(instance=shop)
    return render(request, "dashboard/shop/settings.html", {"shop": shop, "form": form})


@seller_view
def members(request, shop):
    """Who runs the shop; the owner adds existing OpenPO accounts by their email."""
    status = 200
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = shops.add_member(
                shop=shop, email=form.cleaned_data["email"], actor=request.user
            )
        except OwnerOnly as refusal:
            form.add_error(None, refusal.message)
            status = 403
        except ShopRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(
                request, _("%(name)s can now manage this shop.") % {"name": member.get_username()}
            )
            return redirect("dashboard:members", shop_slug=shop.slug)
    context = {
        "shop": shop,
        "form": form,
        "members": shop.members.order_by("username"),
        "is_owner": request.user.pk == shop.owner_id,
    }
    return render(request, "dashboard/shop/members.html", context, status=status)


@seller_view
@require_POST
def member_remove(request, shop, user_id):
    member = get_object_or_404(shop.members, pk=user_id)
    try:
        shops.remove_member(shop=shop, user=member, actor=request.user)
    except ShopRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("%(name)s no longer manages this shop.") % {"name": member.get_username()}
        )
    return redirect("dashboard:members", shop_slug=shop.slug)
