"""Serials, content hashes, check codes, masked names and the verification rate limit: the
pieces of issue 5 that need no database."""

from __future__ import annotations

import datetime as dt

from casework.certificates.codes import (
    CODE_ALPHABET, CODE_LENGTH, check_code, check_code_matches, content_hash, format_serial,
    is_serial, normalise_code, pretty_code,
)
from casework.certificates.ratelimit import SlidingWindowLimiter
from casework.certificates.settings import CertificateSettings
from casework.certificates.verification import mask_name
from casework.settings import WebSettings

AT = dt.datetime(2018, 9, 1, 8, 30, 15, 123456, tzinfo=dt.timezone.utc)
FIELDS = dict(serial="511922-2018-000042", household_id=7, household_number="5119221000010007",
              policy_year=2018, pack="bazhong-2018", pack_version="2018.1",
              issued_by="township1", issued_by_name="李秀英", issued_at=AT,
              content={"head_name": "张小明", "total_annual_yuan": "1250.00", "measures": []})


def test_serial_is_county_year_sequence() -> None:
    assert format_serial("511922", 2018, 42) == "511922-2018-000042"
    assert is_serial("511922-2018-000042")
    assert not is_serial("511922-2018-42") and not is_serial("../etc/passwd")


def test_hash_is_stable_and_covers_every_field() -> None:
    digest = content_hash(**FIELDS)
    assert len(digest) == 64 and digest == content_hash(**FIELDS)
    same_moment = AT.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert content_hash(**{**FIELDS, "issued_at": same_moment}) == digest
    reordered = dict(reversed(list(FIELDS["content"].items())))
    assert content_hash(**{**FIELDS, "content": reordered}) == digest
    for name, other in [("serial", "511922-2018-000043"), ("household_id", 8),
                        ("policy_year", 2019), ("issued_by", "admin"),
                        ("issued_by_name", "李秀"),
                        ("issued_at", AT + dt.timedelta(microseconds=1)),
                        ("content", {**FIELDS["content"], "total_annual_yuan": "1250.01"})]:
        assert content_hash(**{**FIELDS, name: other}) != digest, name


def test_check_code_is_short_typeable_and_keyed() -> None:
    digest = content_hash(**FIELDS)
    code = check_code("secret-a" * 5, FIELDS["serial"], digest)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("01OI")
    assert code == check_code("secret-a" * 5, FIELDS["serial"], digest)
    assert code != check_code("secret-b" * 5, FIELDS["serial"], digest)
    assert code != check_code("secret-a" * 5, "511922-2018-000043", digest)
    typed = pretty_code(code).lower()
    assert "-" in typed and check_code_matches("secret-a" * 5, FIELDS["serial"], digest, typed)
    assert check_code_matches("secret-a" * 5, FIELDS["serial"], digest, " ".join(code))
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert not check_code_matches("secret-a" * 5, FIELDS["serial"], digest, wrong)
    assert not check_code_matches("secret-a" * 5, FIELDS["serial"], digest, "")


def test_normalise_code_refuses_what_cannot_be_a_code() -> None:
    assert normalise_code("abcd-efgh") == "ABCDEFGH"
    assert normalise_code("ABCD-EFG") == "" and normalise_code("ABCD-EFG0") == ""
    assert normalise_code("<script>") == ""


def test_masked_head_name() -> None:
    assert mask_name("张小明") == "张*明"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("") == ""


def test_sliding_window_limits_each_client_separately() -> None:
    now = [1000.0]
    limiter = SlidingWindowLimiter(3, 60.0, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    assert 1 <= limiter.retry_after("a") <= 61
    now[0] += 61
    assert limiter.allow("a")


def test_sliding_window_forgets_the_oldest_clients_beyond_its_bound() -> None:
    limiter = SlidingWindowLimiter(1, 60.0, max_clients=2)
    for client in ("a", "b", "c"):
        assert limiter.allow(client)
    assert limiter.allow("a")  # forgotten, so allowed again
    assert not limiter.allow("c")


def test_settings_share_the_web_secret_and_pick_the_public_address(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CASEWORK_PUBLIC_URL", raising=False)
    web = WebSettings(env="development", secret_key="s" * 40)
    settings = CertificateSettings.from_env(web)
    assert settings.secret_key == "s" * 40
    assert settings.verify_url("X", "C") == "http://127.0.0.1:8000/verify/X?c=C"
    assert settings.verify_url("X", "C", "http://10.0.0.5:9000/") == \
        "http://10.0.0.5:9000/verify/X?c=C"
    monkeypatch.setenv("CASEWORK_PUBLIC_URL", "https://fupin.example.cn/")
    monkeypatch.setenv("CASEWORK_VERIFY_RATE", "5")
    settings = CertificateSettings.from_env(web)
    assert settings.verify_url("X", "C", "http://10.0.0.5:9000") == \
        "https://fupin.example.cn/verify/X?c=C"
    assert settings.verify_per_minute == 5
