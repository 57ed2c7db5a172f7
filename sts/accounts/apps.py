from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sts.accounts"
    label = "accounts"
    verbose_name = "Accounts and security"
