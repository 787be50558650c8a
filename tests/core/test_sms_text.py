"""SMS texts: the segment count (GSM-7 vs UCS-2), the limit of two segments, the four languages,
mobile numbers, and the provider client against the fake provider on loopback."""

from __future__ import annotations

import socket
from datetime import datetime, timezone

import pytest

from maintdesk.channels import sms_settings
from maintdesk.channels.phone import mobile_e164
from maintdesk.channels.sms_provider import SmsUnavailable, TwilioProvider
from maintdesk.channels.sms_text import WORDS, check_length, compose, count_segments, when_text
from maintdesk.errors import InvalidInput
from maintdesk.letters.localize import Localizer
from sms_testing import ACCOUNT, SENDER, TOKEN, fake_provider


def test_gsm7_and_ucs2_are_counted_as_phones_count_them():
    assert count_segments("a" * 160).text == "1 segment, GSM-7, 160 of 160 characters"
    assert count_segments("a" * 161).segments == 2 and count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3
    assert count_segments("€" * 80).units == 160                       # the extension table takes two septets
    assert count_segments("é à ñ Ü").encoding == "GSM-7"                 # in the GSM alphabet
    assert count_segments("ç" * 70) == count_segments("ê" * 70)         # not in it: UCS-2
    assert count_segments("ç" * 70).segments == 1 and count_segments("ç" * 71).segments == 2
    assert count_segments("🔧" * 35).units == 70                        # an emoji is two UTF-16 units


def test_a_text_longer_than_two_segments_is_refused_with_its_count():
    check_length("x" * 306)
    with pytest.raises(InvalidInput, match="too long: 307 characters in GSM-7 make 3 segments, at most 2"):
        check_length("x" * 307)
    with pytest.raises(InvalidInput, match="empty"):
        check_length("  ")


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
def test_each_language_writes_each_kind_within_two_segments(language):
    loc = Localizer(language, "FR", "Europe/Paris")
    start = datetime(2026, 5, 12, 7, 0, tzinfo=timezone.utc)
    when = when_text(loc, start, start.replace(hour=8, minute=30))
    assert "(UTC+2)" in when and "\u00a0" not in when
    for kind in ("emergency", "reminder", "final-reminder"):
        text = compose(kind, language, org="Résidence Les Tilleuls", what="Hot water cut", when=when,
                       phone="+33143551234", country="FR")
        assert "01 43 55 12 34" in text and check_length(text).segments <= 2, text
    assert set(WORDS[language]) == set(WORDS["en"])


def test_a_text_without_a_number_to_call_leaves_that_sentence_out():
    text = compose("reminder", "en", org="ACME", what="Boiler service", when="Tue, May 12, 9:00 (UTC+2)")
    assert text == "ACME reminder: Boiler service, Tue, May 12, 9:00 (UTC+2). Thank you."
    with pytest.raises(InvalidInput, match="not sent by SMS"):
        compose("completed", "en", org="ACME", what="x")


def test_mobile_numbers_in_e164_and_landlines_refused():
    assert mobile_e164("06 12 34 56 78", "FR") == "+33612345678"
    assert mobile_e164("+49 151 23456789") == "+4915123456789"
    with pytest.raises(InvalidInput, match=r"\+33143551234 is not a mobile number"):
        mobile_e164("01 43 55 12 34", "FR")
    with pytest.raises(InvalidInput, match="not a phone number"):
        mobile_e164("call me", "FR")
    with pytest.raises(InvalidInput, match="no mobile number"):
        mobile_e164("", "FR")


def test_the_provider_client_sends_reads_the_state_and_finds_a_message():
    with fake_provider() as fake:
        provider = TwilioProvider(fake.base_url, ACCOUNT, TOKEN, SENDER, timeout=5)
        reply = provider.send("+33612345678", "Hello")
        assert reply.outcome == "accepted" and reply.provider_id.startswith("SM")
        assert provider.status(reply.provider_id).outcome == "delivered"
        found = provider.find("+33612345678", "Hello", datetime(2026, 1, 1, tzinfo=timezone.utc))
        assert found is not None and found.provider_id == reply.provider_id
        assert provider.find("+33612345678", "Other", datetime(2026, 1, 1, tzinfo=timezone.utc)) is None
        fake.refuse["+33143551234"] = (21614, "'To' number is not a valid mobile number")
        refused = provider.send("+33143551234", "Hello")
        assert refused.outcome == "refused" and "21614" in refused.detail
        fake.errors_before_accepting = 1
        with pytest.raises(SmsUnavailable, match="answered 500") as error:
            provider.send("+33612345678", "Hello")
        assert error.value.transient
        fake.drop_after_accepting = 1
        assert provider.send("+33612345678", "Lost").outcome == "unknown"
        assert fake.bodies_to("+33612345678") == ["Hello", "Lost"]
        with pytest.raises(SmsUnavailable, match="refused the account SID or token"):
            TwilioProvider(fake.base_url, ACCOUNT, "wrong", SENDER).send("+33612345678", "x")


def test_a_provider_that_is_down_is_one_sentence():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SmsUnavailable, match=f"cannot reach the SMS provider 127.0.0.1:{port}: Connection refused"):
        TwilioProvider(f"http://127.0.0.1:{port}", ACCOUNT, TOKEN, SENDER, timeout=2).send("+33612345678", "x")


def test_settings_refuse_plain_http_off_loopback_and_keep_the_token_out_of_the_file(paths, monkeypatch):
    with pytest.raises(InvalidInput, match="unencrypted"):
        sms_settings.check(sms_settings.SmsSettings(ACCOUNT, SENDER, base_url="http://sms.example.org"))
    with pytest.raises(InvalidInput, match="SMS sender"):
        sms_settings.check(sms_settings.SmsSettings(ACCOUNT, "Far too long a name"))
    saved = sms_settings.save(paths, sms_settings.SmsSettings(ACCOUNT, SENDER, base_url="http://127.0.0.1:9/"))
    assert TOKEN not in saved.read_text() and sms_settings.load(paths).base_url == "http://127.0.0.1:9"
    monkeypatch.delenv(sms_settings.TOKEN_VARIABLE, raising=False)
    monkeypatch.setattr(sms_settings.secrets, "read_secret", lambda service, user: None)
    with pytest.raises(InvalidInput, match="no auth token for the SMS account"):
        sms_settings.token_for(sms_settings.load(paths))
    monkeypatch.setenv(sms_settings.TOKEN_VARIABLE, TOKEN)
    assert sms_settings.token_for(sms_settings.load(paths)) == TOKEN
