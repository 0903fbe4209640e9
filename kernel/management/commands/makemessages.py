"""makemessages that also extracts the sentences kept for later (kernel/sentences.py): `say` and
`say_plural` take their English words as gettext and ngettext do."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=say",
        "--keyword=say_plural:1,2",
        "--flag=say:1:python-format",
        "--flag=say_plural:1:python-format",
        "--flag=say_plural:2:python-format",
    ]
