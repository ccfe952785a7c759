import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from portal.accounts import sms
from portal.accounts.sms import SmsSendError, send_sms


def test_locmem_backend_collects_messages():
    send_sms("13812345678", "phone_changed", {"username": "qiye001"})
    assert sms.outbox[-1].phone == "13812345678"
    assert "登录名为 qiye001" in sms.outbox[-1].text


def test_file_backend_writes_one_file_per_message_with_phone_and_text(settings):
    settings.SMS_BACKEND = "portal.accounts.sms.backends.file.SmsBackend"
    send_sms("13812345678", "code", {"code": "123456", "purpose": "注册", "minutes": 5})
    send_sms("13812345679", "code", {"code": "654321", "purpose": "登录", "minutes": 5})
    files = sorted(settings.SMS_FILE_PATH.iterdir())
    assert len(files) == 2
    text = files[0].read_text(encoding="utf-8")
    assert "13812345678" in text and "123456" in text


def test_console_backend_prints(settings, capsys):
    settings.SMS_BACKEND = "portal.accounts.sms.backends.console.SmsBackend"
    send_sms("13812345678", "code", {"code": "123456", "purpose": "注册", "minutes": 5})
    assert "123456" in capsys.readouterr().out


class _Gateway(BaseHTTPRequestHandler):
    status = 200
    body = b'{"ok": true}'
    received: list = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        _Gateway.received.append((self.headers["Authorization"], json.loads(self.rfile.read(length))))
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "portal.accounts.sms.backends.http.SmsBackend"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_HTTP_TOKEN = "t0ken"
    _Gateway.received = []
    yield _Gateway
    _Gateway.status, _Gateway.body = 200, b'{"ok": true}'
    server.shutdown()


def test_http_backend_posts_json_with_token(gateway):
    send_sms("13812345678", "code", {"code": "123456", "purpose": "注册", "minutes": 5})
    auth, payload = gateway.received[0]
    assert auth == "Bearer t0ken"
    assert payload["phone"] == "13812345678" and "123456" in payload["text"]


@pytest.mark.parametrize(("status", "body"), [(500, b""), (200, b'{"ok": false}')])
def test_http_backend_raises_when_gateway_refuses(gateway, status, body):
    gateway.status, gateway.body = status, body
    with pytest.raises(SmsSendError):
        send_sms("13812345678", "code", {"code": "1", "purpose": "注册", "minutes": 5})


def test_http_backend_raises_on_unreachable_gateway(settings):
    settings.SMS_BACKEND = "portal.accounts.sms.backends.http.SmsBackend"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/send"
    settings.SMS_HTTP_TIMEOUT = 0.5
    with pytest.raises(SmsSendError):
        send_sms("13812345678", "code", {"code": "1", "purpose": "注册", "minutes": 5})
