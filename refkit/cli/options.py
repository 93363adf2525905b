"""The Crossref options every command that resolves references shares.

`check`, `export`, `build` and `zotero` decorate themselves with
`crossref_options`, then turn the parsed values into `Settings` with
`settings_from` and into a ready client with `client_from`.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

import click

from refkit.cache import Cache
from refkit.crossref import CrossrefClient
from refkit.settings import ENV_VARS, Settings

F = TypeVar("F", bound=Callable[..., Any])
OPTION_NAMES = ("mailto", "crossref_url", "offline", "refresh", "cache_dir")
_warned = False


def crossref_options(command: F) -> F:
    """Add --mailto, --crossref-url, --offline, --refresh and --cache-dir to a click command."""
    options = [
        click.option("--mailto", metavar="EMAIL",
                     help="Contact address sent to Crossref (its 'polite pool'; "
                          "env REFKIT_MAILTO or config file)."),
        click.option("--crossref-url", metavar="URL",
                     help="Crossref REST API base URL (default https://api.crossref.org)."),
        click.option("--offline", is_flag=True, default=None,
                     help="Do not contact Crossref; use only cached answers "
                          "(the rest is reported unverified, RK501)."),
        click.option("--refresh", is_flag=True, default=None,
                     help="Ask Crossref again even for answers already cached."),
        click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR",
                     help="Folder of the Crossref cache (env REFKIT_CACHE_DIR)."),
    ]
    return functools.reduce(lambda cmd, option: option(cmd), reversed(options), command)


def settings_from(kwargs: dict[str, Any]) -> Settings:
    """Settings from a command's parsed options (the crossref_options ones are removed
    from `kwargs`), the environment and the config file; warns once when no
    contact address is configured."""
    overrides = {name: kwargs.pop(name, None) for name in OPTION_NAMES}
    settings = Settings.load(**overrides)
    _warn_without_contact(settings)
    return settings


def client_from(settings: Settings) -> CrossrefClient:
    """A Crossref client with its persistent cache, ready to use."""
    return CrossrefClient(settings, Cache(settings.service_cache_path, settings.ttl_days))


def _warn_without_contact(settings: Settings) -> None:
    global _warned
    if settings.mailto or settings.offline or _warned:
        return
    _warned = True
    variable = next(var for var, name in ENV_VARS.items() if name == "mailto")
    click.echo("refkit: warning: no contact address for Crossref; pass --mailto or set "
               f"{variable} to use its polite pool (faster, and Crossref can reach you).",
               err=True)
