"""Where buyers pay (bank accounts, e-wallets, QR images): owners add, change and delete them, and
each change goes to the shop's log, since it decides where the money goes."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from campaigns.models import ShopLogEntry
from campaigns.services.team import require_owner, write_log
from kernel.sentences import say, words
from payments.models import PaymentAccount


@transaction.atomic
def save_account(
    *, account: PaymentAccount, changed: list[str], actor: AbstractBaseUser
) -> PaymentAccount:
    """Save a new or changed payment account. Owners only; the log says what changed."""
    require_owner(account.shop, actor)
    new = account.pk is None
    account.save()
    if new:
        note = say("Payment account added: %(account)s.", account=str(account))
    elif changed:
        labels = [PaymentAccount._meta.get_field(name).verbose_name for name in changed]
        note = say(
            "Payment account %(account)s changed: %(fields)s.",
            account=str(account),
            fields=words(labels),
        )
    else:
        return account
    write_log(shop=account.shop, kind=ShopLogEntry.Kind.PAYMENT_ACCOUNTS, actor=actor, note=note)
    return account


@transaction.atomic
def delete_account(*, account: PaymentAccount, actor: AbstractBaseUser) -> None:
    """Delete a payment account. Owners only; the log keeps what it was."""
    require_owner(account.shop, actor)
    described = str(account)
    shop = account.shop
    account.delete()
    write_log(
        shop=shop,
        kind=ShopLogEntry.Kind.PAYMENT_ACCOUNTS,
        actor=actor,
        note=say("Payment account deleted: %(account)s.", account=described),
    )
