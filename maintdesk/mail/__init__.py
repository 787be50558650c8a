"""The mail wing: notices that leave by email.

Building a message with its text, HTML, PDF and calendar invite (`message`), the email batch
(`batch`), the outbox that sends each notice once and records what became of it (`outbox`), the
office's SMTP server (`smtp`), its saved settings and password (`settings`), and the trial email
that checks them (`trial_email`). It imports the letters and records wings and the shared basics;
never planning, imports or anything above.
"""
