"""A seller's own shop: signing up with it, its settings, who runs it and as what, and its log."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from campaigns.exceptions import ShopRefused, ShopSlugTaken
from campaigns.forms.shop import InviteForm, RoleForm, ShopSettingsForm, SignupForm
from campaigns.models import Role, Shop
from campaigns.selectors import shop_log, shop_team
from campaigns.services import shops, team
from campaigns.views.access import seller_view

LOG_PER_PAGE = 50


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


@seller_view(Role.OWNER)
def shop_settings(request, shop):
    if request.method == "POST":
        # The form edits its own copy: a refused new web address must not leak into the
        # page's links, which are built from `shop`.
        form = ShopSettingsForm(request.POST, request.FILES, instance=Shop.objects.get(pk=shop.pk))
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = team.save_settings(
                        shop=form.save(commit=False),
                        changed=form.changed_data,
                        actor=request.user,
                    )
            except IntegrityError:
                # Another shop took the address between the check and the save.
                form.add_error("slug", ShopSlugTaken.message)
            else:
                messages.success(request, _("Shop settings saved."))
                return redirect("dashboard:shop_settings", shop_slug=saved.slug)
    else:
        form = ShopSettingsForm(instance=shop)
    return render(request, "dashboard/shop/settings.html", {"shop": shop, "form": form})


@seller_view(Role.OWNER)
def members(request, shop):
    """Who runs the shop and as what, the invitations on their way, and a form to invite."""
    status = 200
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = team.invite(shop=shop, actor=request.user, **form.cleaned_data)
        except ShopRefused as refusal:
            form.add_error(refusal.field, refusal.message)
            status = refusal.http_status
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for 7 days.")
                % {"email": invitation.email},
            )
            return redirect("dashboard:members", shop_slug=shop.slug)
    context = {"shop": shop, "form": form, "roles": Role.choices, **shop_team(shop)}
    return render(request, "dashboard/shop/members.html", context, status=status)


@seller_view(Role.OWNER)
@require_POST
def member_role(request, shop, user_id):
    member = get_object_or_404(shop.members, pk=user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose owner, manager or staff."))
        return redirect("dashboard:members", shop_slug=shop.slug)
    try:
        team.change_role(shop=shop, user=member, role=form.cleaned_data["role"], actor=request.user)
    except ShopRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": member.get_username(), "role": Role(form.cleaned_data["role"]).label},
        )
    return redirect("dashboard:members", shop_slug=shop.slug)


@seller_view(Role.OWNER)
@require_POST
def member_remove(request, shop, user_id):
    member = get_object_or_404(shop.members, pk=user_id)
    try:
        team.remove_member(shop=shop, user=member, actor=request.user)
    except ShopRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("%(name)s no longer manages this shop.") % {"name": member.get_username()}
        )
    return redirect("dashboard:members", shop_slug=shop.slug)


@seller_view(Role.OWNER)
@require_POST
def invitation_withdraw(request, shop, invitation_id):
    invitation = get_object_or_404(shop.invitations, pk=invitation_id)
    try:
        team.withdraw_invitation(invitation=invitation, actor=request.user)
    except ShopRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email}
        )
    return redirect("dashboard:members", shop_slug=shop.slug)


@seller_view(Role.OWNER)
def log(request, shop):
    """The shop's log: every change to members, payment accounts and settings, newest first."""
    page = Paginator(shop_log(shop), LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/shop/log.html", {"shop": shop, "page": page})
