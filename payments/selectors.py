from campaigns.models import Shop
from payments.models import PaymentAccount


def accounts_for_buyers(shop: Shop):
    return PaymentAccount.objects.filter(shop=shop, is_active=True)
