"""A mail server, for the tests, that refuses some recipients as a real one does."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

# Address -> the reply a server gives for it at RCPT TO.
REFUSED = {
    "no-such-user@example.org": (550, b"5.1.1 No such user"),
    "mailbox-full@example.org": (452, b"4.2.2 Mailbox full, try again later"),
}


class RefusingEmailBackend(EmailBackend):
    def send_messages(self, messages: list) -> int:
        for message in messages:
            refused = {to: REFUSED[to] for to in message.to if to in REFUSED}
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
        return super().send_messages(messages)
