"""Production settings and `ciodesk serve`, run as an operator would: in a subprocess."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CIODESK = str(Path(sys.executable).with_name("ciodesk"))


def production_env(tmp_path, **extra):
    dev_only = ("CIODESK_TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dev_only}
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "ciodesk.example.com,127.0.0.1",
            "CIODESK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "EMAIL_HOST": "smtp.example.com",
        }
    )
    env.update(extra)
    return env


def test_check_deploy_reports_nothing(tmp_path):
    result = subprocess.run(
        [CIODESK, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_migrates_and_serves_with_security_headers(tmp_path):
    port = free_port()
    env = production_env(tmp_path, SECURE_SSL_REDIRECT="0")
    server = subprocess.Popen(
        [CIODESK, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                response = urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=10
                )
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.time() < deadline, "server did not start"
                time.sleep(0.3)
        body = response.read().decode()
        assert "Sign in" in body
        headers = response.headers
        assert "script-src 'self' 'nonce-" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/ciodesk/app.css", timeout=10)
        assert css.status == 200 and b"--brand" in css.read()
        assert (tmp_path / "db.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_stops_when_migrate_fails(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    result = subprocess.run(
        [CIODESK, "serve", "--bind", "127.0.0.1:1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Migration failed, not starting" in result.stderr
