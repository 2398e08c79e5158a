"""Mail servers that misbehave, for the tests of emails sent one per person."""

from __future__ import annotations

import smtplib
from typing import Any, ClassVar

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """The mail server refuses the addresses in ``refused`` for good (550) and takes the
    others (they land in ``django.core.mail.outbox``)."""

    refused: ClassVar[set[str]] = set()

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            for address in message.to:
                if address in self.refused:
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"No such user here")})
        return super().send_messages(messages)


class CountingBackend(EmailBackend):
    """Counts the connections made to the mail server (one per backend made, as each
    ``EmailMessage.send()`` without a connection makes its own) and the messages sent; the
    messages land in ``django.core.mail.outbox``."""

    connections: ClassVar[int] = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type(self).connections += 1
