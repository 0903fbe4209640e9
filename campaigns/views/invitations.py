"""The door an invitation opens: someone invited by a shop's owner joins it, with the account they
have or one made here in the same step."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from campaigns.exceptions import InvitationClosed, ShopRefused
from campaigns.forms.shop import JoinForm
from campaigns.services import team


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation(request, token):
    """Show the invitation; accept it as the logged-in account, or with a new account."""
    try:
        invited = team.open_invitation(token)
    except InvitationClosed as refusal:
        return render(
            request, "registration/invitation_closed.html", {"message": refusal.message}, status=404
        )
    form = JoinForm(request.POST or None) if not request.user.is_authenticated else None
    status = 200
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                membership = team.accept_invitation(token=token, user=request.user)
            elif form.is_valid():
                membership = team.join_with_new_account(
                    token=token,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                membership = None
        except ShopRefused as refusal:
            if form is not None and refusal.field in form.fields:
                form.add_error(refusal.field, refusal.message)
            elif form is not None:
                form.add_error(None, refusal.message)
            else:
                messages.error(request, refusal.message)
            membership = None
        if membership is not None:
            messages.success(
                request,
                _("Welcome to %(shop)s! You joined as %(role)s.")
                % {"shop": membership.shop.name, "role": membership.get_role_display().lower()},
            )
            return redirect("dashboard:home", shop_slug=membership.shop.slug)
        status = 400
    response = render(
        request,
        "registration/invitation.html",
        {"invitation": invited, "form": form},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
