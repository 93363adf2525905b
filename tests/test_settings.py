"""Settings precedence (options > environment > config file > defaults), the
shared click options, and the Plus token staying secret."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from refkit.cli.options import crossref_options, settings_from
from refkit.errors import RefkitError
from refkit.settings import CACHE_FILE, DEFAULT_CROSSREF_URL, Settings


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[crossref]\nmailto = "file@example.org"\ncrossref_url = "http://file.test"\n'
                    'plus_token = "file-s3cret"\nttl_days = 7\nconcurrency = 2\n', encoding="utf-8")
    return path


def test_defaults_without_config_or_environment(tmp_path):
    settings = Settings.load(config_path=tmp_path / "absent.toml", env={})
    assert settings.crossref_url == DEFAULT_CROSSREF_URL
    assert settings.mailto is None and settings.plus_token is None
    assert settings.concurrency == 3 and not settings.offline
    assert settings.cache_path.name == CACHE_FILE


def test_config_file_is_read(config):
    settings = Settings.load(config_path=config, env={})
    assert (settings.mailto, settings.crossref_url, settings.ttl_days, settings.concurrency) == (
        "file@example.org", "http://file.test", 7.0, 2)


def test_environment_beats_config_and_options_beat_environment(config, tmp_path):
    env = {"REFKIT_CONFIG": str(config), "REFKIT_MAILTO": "env@example.org",
           "REFKIT_OFFLINE": "yes", "REFKIT_CACHE_DIR": str(tmp_path / "env-cache")}
    from_env = Settings.load(env=env)
    assert from_env.mailto == "env@example.org" and from_env.offline
    assert from_env.crossref_url == "http://file.test"  # only the file sets it
    assert from_env.cache_path == tmp_path / "env-cache" / CACHE_FILE
    from_options = Settings.load(env=env, mailto="cli@example.org", offline=None,
                                 cache_dir=str(tmp_path / "cli-cache"))
    assert from_options.mailto == "cli@example.org"
    assert from_options.offline  # None means "option not given"
    assert from_options.cache_path == tmp_path / "cli-cache" / CACHE_FILE


@pytest.mark.parametrize("text, message", [
    ("concurrency = 'many'\n", "'concurrency' has a bad value"),
    ("colour = 'blue'\n", "unknown setting 'colour'"),
    ("mailto = \n", "cannot read the config file"),
])
def test_bad_config_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RefkitError, match=message) as failure:
        Settings.load(config_path=path, env={})
    assert str(path) in str(failure.value)


def test_limits_come_from_the_environment_and_must_be_sensible(tmp_path):
    env = {"REFKIT_TIMEOUT": "2.5", "REFKIT_DEADLINE": "9", "REFKIT_MAX_RESPONSE_MB": "4",
           "REFKIT_MAX_RETRIES": "0", "REFKIT_BACKOFF": "0.1", "REFKIT_OUTAGE_BUDGET": "15",
           "REFKIT_MAX_DOI_LENGTH": "120"}
    settings = Settings.load(config_path=tmp_path / "absent.toml", env=env)
    assert (settings.timeout, settings.deadline, settings.max_response_mb, settings.max_retries,
            settings.backoff, settings.outage_budget, settings.max_doi_length) == (2.5, 9, 4, 0, 0.1, 15, 120)
    for variable, value in [("REFKIT_DEADLINE", "0"), ("REFKIT_TIMEOUT", "-1"), ("REFKIT_OUTAGE_BUDGET", "nan"),
                            ("REFKIT_MAX_RESPONSE_MB", "inf"), ("REFKIT_MAX_RETRIES", "many")]:
        with pytest.raises(RefkitError, match="has a bad value"):
            Settings.load(config_path=tmp_path / "absent.toml", env={variable: value})


def test_token_never_shown(config):
    settings = Settings.load(config_path=config, env={"REFKIT_CROSSREF_TOKEN": "env-s3cret"})
    assert settings.plus_token == "env-s3cret"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings)
    assert "plus_token='***'" in repr(settings)
    with pytest.raises(RefkitError) as failure:
        Settings.load(config_path=config, env={"REFKIT_CROSSREF_TOKEN": "x"}, concurrency="s3cret")
    assert "s3cret" not in str(failure.value)


@click.command()
@crossref_options
def show(**options):
    """Print the settings the shared options produce."""
    settings = settings_from(options)
    click.echo(f"{settings.mailto} {settings.offline} {settings.refresh} {settings.cache_path}")
    click.echo(f"left: {sorted(options)}")


def test_shared_click_options(tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("REFKIT_MAILTO", raising=False)
    monkeypatch.setenv("REFKIT_OFFLINE", "1")
    result = CliRunner().invoke(show, ["--mailto", "me@example.org", "--refresh",
                                       "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"me@example.org True True {tmp_path / 'c' / CACHE_FILE}", "left: []"]
    assert "--crossref-url" in CliRunner().invoke(show, ["--help"]).output


def test_missing_contact_address_warns_once(tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("REFKIT_MAILTO", raising=False)
    monkeypatch.delenv("REFKIT_OFFLINE", raising=False)
    runner = CliRunner()
    first, second = runner.invoke(show, []), runner.invoke(show, [])
    assert "no contact address" in first.stderr
    assert "no contact address" not in second.stderr


def test_answers_of_another_crossref_url_are_cached_apart(tmp_path: Path) -> None:
    """A stub or mirror never fills the cache that answers for Crossref itself."""
    real = Settings.load(config_path=tmp_path / "none.toml", env={}, cache_dir=str(tmp_path))
    stub = Settings.load(config_path=tmp_path / "none.toml", env={}, cache_dir=str(tmp_path),
                         crossref_url="http://127.0.0.1:8765")
    assert real.service_cache_path == real.cache_path
    assert stub.service_cache_path != real.service_cache_path
    assert stub.service_cache_path.parent == tmp_path
