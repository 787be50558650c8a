"""The channels wing: notices that leave by SMS.

The text of an SMS in the tenant's language and its segment count (`sms_text`), mobile numbers in
E.164 (`phone`), the provider's REST interface with one Twilio-shaped implementation
(`sms_provider`), the saved provider settings and their token in the keyring (`sms_settings`), and
the SMS outbox that sends each notice once, respects the building's quiet hours and fetches what
became of it (`sms_outbox`, `sms_status`). It imports the letters and records wings and the shared
basics; never mail, planning, imports or anything above.
"""
