"""SMS and e-mail throttles, and the client address behind trusted proxies (issue 8, items 6–8)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from portal.accounts import sms
from portal.accounts.codes import SmsThrottledError, issue_sms_code
from portal.accounts.throttles import EmailThrottledError, client_ip, reserve_email

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def throttle_code(**kwargs) -> str:
    with pytest.raises(SmsThrottledError) as exc:
        issue_sms_code(**kwargs)
    return exc.value.code


def send_again(phone=PHONE, purpose="login", ip="10.0.0.1"):
    cache.delete(f"accounts:sms:resend:{purpose}:{phone}")  # as if the 60 s wait had passed
    return issue_sms_code(phone=phone, purpose=purpose, ip=ip)


def test_resend_within_60_seconds_is_refused():
    issue_sms_code(phone=PHONE, purpose="register", ip="10.0.0.1")
    assert throttle_code(phone=PHONE, purpose="register", ip="10.0.0.1") == "resend_too_soon"
    assert len(sms.outbox) == 1


def test_resend_wait_is_per_purpose():
    issue_sms_code(phone=PHONE, purpose="register", ip="10.0.0.1")
    issue_sms_code(phone=PHONE, purpose="login", ip="10.0.0.1")
    assert len(sms.outbox) == 2


def test_daily_cap_per_phone_and_network(settings):
    settings.SMS_DAILY_LIMIT_PER_PHONE_IP = 2
    send_again()
    send_again()
    cache.delete(f"accounts:sms:resend:login:{PHONE}")
    assert throttle_code(phone=PHONE, purpose="login", ip="10.0.0.1") == "phone_network_daily_limit"


def test_an_attacker_on_one_network_cannot_stop_the_owner_on_another(settings):
    """Knowing only a victim's login name, one network burns its own allowance, not the owner's."""
    for _ in range(settings.SMS_DAILY_LIMIT_PER_PHONE_IP):
        send_again(ip="203.0.113.66")
    cache.delete(f"accounts:sms:resend:login:{PHONE}")
    assert throttle_code(phone=PHONE, purpose="login", ip="203.0.113.66") == "phone_network_daily_limit"
    send_again(ip="198.51.100.7")  # the owner, from the mobile network
    assert sms.outbox[-1].phone == PHONE


def test_past_the_daily_ceiling_every_network_backs_off_instead_of_stopping(settings):
    settings.SMS_DAILY_LIMIT_PER_PHONE = 3
    for index in range(3):
        send_again(ip=f"203.0.113.{index}")
    send_again(ip="203.0.113.50")  # over the ceiling: this network's one code per back-off period
    cache.delete(f"accounts:sms:resend:login:{PHONE}")
    assert throttle_code(phone=PHONE, purpose="login", ip="203.0.113.50") == "phone_backoff"
    send_again(ip="198.51.100.7")  # another network still gets one
    assert sms.outbox[-1].phone == PHONE


def test_an_ipv6_client_cannot_take_fresh_allowances_from_the_addresses_of_its_64(settings):
    """One IPv6 client holds a whole /64: every address in it counts as one network."""
    settings.SMS_DAILY_LIMIT_PER_PHONE_IP = 2
    send_again(ip="2001:db8:0:1::1")
    send_again(ip="2001:db8:0:1::2")
    cache.delete(f"accounts:sms:resend:login:{PHONE}")
    assert (
        throttle_code(phone=PHONE, purpose="login", ip="2001:db8:0:1:ffff::3") == "phone_network_daily_limit"
    )
    send_again(ip="2001:db8:0:2::1")  # the owner, on another network
    assert sms.outbox[-1].phone == PHONE


def test_the_hourly_cap_counts_an_ipv6_64_as_one_network(settings):
    settings.SMS_HOURLY_LIMIT_PER_IP = 2
    issue_sms_code(phone="13900000001", purpose="register", ip="2001:db8::a")
    issue_sms_code(phone="13900000002", purpose="register", ip="2001:db8::b")
    assert throttle_code(phone="13900000003", purpose="register", ip="2001:db8::c") == "ip_hourly_limit"


def test_hourly_cap_per_ip(settings):
    settings.SMS_HOURLY_LIMIT_PER_IP = 2
    issue_sms_code(phone="13900000001", purpose="register", ip="10.0.0.9")
    issue_sms_code(phone="13900000002", purpose="register", ip="10.0.0.9")
    assert throttle_code(phone="13900000003", purpose="register", ip="10.0.0.9") == "ip_hourly_limit"
    issue_sms_code(phone="13900000003", purpose="register", ip="10.0.0.10")


def test_a_refused_send_releases_the_resend_wait(settings):
    settings.SMS_HOURLY_LIMIT_PER_IP = 0
    assert throttle_code(phone=PHONE, purpose="register", ip="10.0.0.9") == "ip_hourly_limit"
    settings.SMS_HOURLY_LIMIT_PER_IP = 30
    issue_sms_code(phone=PHONE, purpose="register", ip="10.0.0.10")


def test_email_throttle_one_a_minute_and_a_daily_cap(settings):
    settings.ACCOUNTS_EMAIL_DAILY_LIMIT = 2
    reserve_email(account_id=1, kind="recover")
    with pytest.raises(EmailThrottledError) as exc:
        reserve_email(account_id=1, kind="recover")
    assert exc.value.code == "email_too_soon"
    cache.delete("accounts:email:resend:recover:1")
    reserve_email(account_id=1, kind="recover")
    cache.delete("accounts:email:resend:recover:1")
    with pytest.raises(EmailThrottledError) as exc:
        reserve_email(account_id=1, kind="recover")
    assert exc.value.code == "email_daily_limit"


def request(remote="10.0.0.5", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_ip_ignores_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request(remote="198.51.100.7", forwarded="1.2.3.4")) == "198.51.100.7"


def test_client_ip_behind_a_trusted_proxy_is_the_last_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # the client sent a forged header; nginx appended the real peer; an internal LB appended nginx
    forwarded = "6.6.6.6, 198.51.100.7, 10.1.2.3"
    assert client_ip(request(remote="127.0.0.1", forwarded=forwarded)) == "198.51.100.7"


def test_client_ip_from_an_untrusted_peer_ignores_the_header(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request(remote="198.51.100.7", forwarded="6.6.6.6")) == "198.51.100.7"


def test_client_ip_with_garbage_in_the_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request(remote="127.0.0.1", forwarded="not-an-ip")) == "127.0.0.1"
