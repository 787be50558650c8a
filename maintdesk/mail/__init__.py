"""The mail wing: notices that leave by email.

Building a message with its text, HTML, PDF and calendar invite (`message`), the email batch
(`batch`), the outbox that sends each notice once and records what became of it (`outbox`), the
office's SMTP server (`smtp`), its saved settings and password (`settings`), the trial email
that checks them (`trial_email`), and what comes back: the office mailbox over IMAP (`mailbox`),
delivery status notifications and replies read (`dsn`) and acted on (`inbox`: a bounced notice
fails and its tenant gets paper, a reply waits to be read). It imports the letters and records wings and the shared basics;
never planning, imports or anything above.
"""
