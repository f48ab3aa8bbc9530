"""Children's names typed into a search never reach an access log: gunicorn's line (the format in
gunicorn.conf.py) and Django's development server drop query strings; Django's own request log
names the path only."""

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from gunicorn.config import Config
from gunicorn.glogging import Logger

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[1]
SEARCH = "/c/council-a/young-people/?q=Sam+Okafor&page=2"


def _gunicorn_config() -> Config:
    cfg = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


def test_gunicorn_access_log_line_has_no_query_string_referrer_or_address():
    cfg = _gunicorn_config()
    assert cfg.accesslog == "-"
    logger = Logger(cfg)
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    logger.access_log.addHandler(handler)
    path, _, query = SEARCH.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": SEARCH,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.77",
        "HTTP_REFERER": "https://heard.example/c/council-a/young-people/?q=Sam",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Sam's phone)",
    }
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[])
    request = SimpleNamespace(headers=[("HOST", "heard.example")])
    try:
        logger.access(response, request, environ, timedelta(milliseconds=42))
    finally:
        logger.access_log.removeHandler(handler)
    line = lines.getvalue()
    assert '"GET /c/council-a/young-people/ HTTP/1.1" 200 5120 42ms' in line
    for leak in ("Sam", "Okafor", "q=", "page=2", "203.0.113.77", "Mozilla"):
        assert leak not in line


def test_the_deployment_starts_gunicorn_with_that_file():
    assert "gunicorn -c gunicorn.conf.py" in (ROOT / "docker-compose.yml").read_text()
    assert '"gunicorn", "-c", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()


def test_the_development_server_log_drops_query_strings():
    handler = next(h for h in logging.getLogger("django.server").handlers)
    lines = io.StringIO()
    old = handler.setStream(lines)
    server = WSGIRequestHandler.__new__(WSGIRequestHandler)
    server.request = None
    server.requestline = f"GET {SEARCH} HTTP/1.1"
    try:
        server.log_message('"%s" %s %s', server.requestline, "200", "5120")
        server.log_message('"%s" %s %s', f"GET {SEARCH} HTTP/1.1", "404", "179")
    finally:
        handler.setStream(old)
    out = lines.getvalue()
    assert '"GET /c/council-a/young-people/ HTTP/1.1" 200 5120' in out
    assert '"GET /c/council-a/young-people/ HTTP/1.1" 404 179' in out
    assert "Sam" not in out and "q=" not in out


@pytest.mark.django_db
def test_djangos_request_log_names_the_path_without_the_search(member_a, caplog):
    client = client_for(member_a)
    with caplog.at_level(logging.INFO):
        assert client.get(SEARCH).status_code == 200
        assert client.get("/c/council-a/no-such-page/?q=Sam+Okafor").status_code == 404
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Sam" not in logged and "Okafor" not in logged
