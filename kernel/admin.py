"""Shared pieces of the staff admin: read-only views of what services write, and running a
service on each object an admin action selected, telling staff how it went.

Each object is one call of the service (one transaction each), so one refusal leaves the others
done; every refusal is reported by name with the service's own sentence, never as a 500.
"""

from collections.abc import Callable, Iterable
from operator import attrgetter

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from kernel.exceptions import Refused
from kernel.money import format_money


class ViewOnly:
    """Rows written by services: shown, never added, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ViewOnly, admin.TabularInline):
    extra = 0
    can_delete = False
    related = ()

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.related) if self.related else queryset


def act_on_each(
    modeladmin,
    request,
    objects: Iterable,
    act: Callable,
    *,
    name: Callable[[object], str],
    done: Callable[[int], str],
) -> int:
    """Call `act(obj)` for each object; report each refusal and then how many were done
    (`done(count)` is the sentence). Returns how many were done."""
    count = 0
    for obj in objects:
        try:
            act(obj)
        except Refused as error:
            modeladmin.message_user(
                request,
                _("%(name)s: %(reason)s") % {"name": name(obj), "reason": error.message},
                messages.WARNING,
            )
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done(count), messages.SUCCESS)
    return count


def money(model, field: str, currency: str):
    """A read-only admin column for the amount `field` of `model`, written the way its currency
    is ("Rp 150.000", not 150000.00): `currency` is the dotted path to the currency code from a
    row ("currency", "order.currency"). Set it on a ModelAdmin or inline and list its name."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def show(modeladmin, obj) -> str:
        amount = getattr(obj, field)
        return "—" if amount is None else format_money(amount, attrgetter(currency)(obj))

    return show
