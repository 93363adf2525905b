"""The Zotero transport against a hostile or broken server (the stand-in,
tests/zotero_standin.py, not Zotero): the API key never follows a redirect
to another host, and replies of the wrong shape are one clear error (exit 2
on the command line), never a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from refkit.zotero.config import ApiKey, ZoteroConfig
from refkit.zotero.http import ZoteroError
from refkit.zotero.push import push
from refkit.zotero.webapi import WebAPI
from tests.zotero_standin import (API_KEY, USER_ID, FakeTime, ZoteroStandin, synthetic_resolutions,
                                  zotero_standin)

__all__ = ["zotero_standin"]  # the fixture, imported for pytest


def connect(url: str, **config) -> WebAPI:
    time = FakeTime()
    return WebAPI.connect(ZoteroConfig(api_key=ApiKey(API_KEY), api_url=url, **config),
                          sleep=time.sleep, clock=time.clock)


def test_the_key_does_not_follow_a_redirect_to_another_host(zotero_standin):
    with ZoteroStandin() as elsewhere:
        other_host = elsewhere.url.replace("127.0.0.1", "localhost")
        zotero_standin.fail_next("GET", "/keys/current", status=302,
                                 headers={"Location": f"{other_host}/keys/current"})
        with pytest.raises(ZoteroError):
            connect(zotero_standin.url)  # the other host refuses a request without the key
        [followed] = elsewhere.requests
        assert followed.path == "/keys/current"
        assert "zotero-api-key" not in followed.headers
        assert API_KEY not in json.dumps(followed.headers)


def test_the_key_follows_a_redirect_on_the_same_host(zotero_standin):
    zotero_standin.fail_next("GET", "/keys/current", status=301,
                             headers={"Location": f"{zotero_standin.url}/keys/current?moved=1"})
    api = connect(zotero_standin.url)
    assert api.library.prefix == f"/users/{USER_ID}"
    assert zotero_standin.requests[-1].headers["zotero-api-key"] == API_KEY


@pytest.mark.parametrize("path, body", [
    ("/keys/current", b"<html>maintenance</html>"),
    ("/keys/current", b"[1, 2, 3]"),
    ("/keys/current", b"[" * 100_000),
])
def test_a_reply_that_is_not_the_json_asked_for_is_a_zotero_error(zotero_standin, path, body):
    zotero_standin.fail_next("GET", path, status=200, body=body)
    with pytest.raises(ZoteroError, match="Zotero sent"):
        connect(zotero_standin.url)


@pytest.mark.parametrize("body", [b"{}", b'[{"key": 1}]', b'["x"]', b'[{"key": "ABCD2345", "data": []}]'])
def test_pages_of_malformed_objects_are_a_zotero_error(zotero_standin, body):
    api = connect(zotero_standin.url, user_id=USER_ID)
    zotero_standin.fail_next("GET", "/items/top", status=200, body=body, headers={"Total-Results": "x"})
    with pytest.raises(ZoteroError):
        list(api.items())


@pytest.mark.parametrize("reply", [
    {"successful": ["not", "by", "index"]},
    {"successful": {"99": {"key": "ABCD2345"}}},
    {"failed": {"0": "no object"}},
    {"unchanged": {"zero": "ABCD2345"}},
])
def test_a_malformed_write_reply_is_a_zotero_error(zotero_standin, reply):
    api = connect(zotero_standin.url, user_id=USER_ID)
    zotero_standin.fail_next("POST", f"/users/{USER_ID}/items", status=200, body=json.dumps(reply).encode())
    with pytest.raises(ZoteroError, match="malformed"):
        push(api, synthetic_resolutions(), "refkit")


def test_on_the_command_line_a_malformed_reply_is_one_line_and_exit_2(zotero_standin, tmp_path):
    zotero_standin.fail_next("GET", "/keys/current", status=200, body=b"\x00\xff not json")
    bib = tmp_path / "one.bib"
    bib.write_text("@article{a, title={A title}, year={2020}}\n", encoding="utf-8")
    env = {**os.environ, "REFKIT_ZOTERO_API_KEY": API_KEY, "REFKIT_CONFIG": str(tmp_path / "none.toml"),
           "REFKIT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", "zotero", "push",
                           str(bib), "--api-url", zotero_standin.url, "--offline"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0 and "Zotero sent a reply that is not JSON" in done.stderr
