"""Text from documents made safe to show on a terminal, and refkit's one
way of saying something on stderr.

A title or file name may hold ESC or CSI (U+009B) sequences that would move
the cursor, retitle the window or hide lines; messages must stay one line
each. Control characters are shown as their Unicode control pictures (␛ for
ESC), so nothing is hidden and nothing is interpreted.
"""

from __future__ import annotations

import re

import click

from refkit.console import is_quiet, use_color

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# overrides and isolates that reorder what a terminal shows
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_UNESCAPED = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


COLORS = {"error": "red", "internal error": "red", "warning": "yellow", "info": "blue", "note": "cyan"}
_SILENCEABLE = ("warning", "note")  # -q keeps errors


def counted(number: int, noun: str) -> str:
    """A count with its noun in the right number: "1 reference", "2 references"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def say(kind: str, message: str) -> None:
    """Print one line on stderr: `refkit: KIND: MESSAGE` (kind: error, warning,
    note; warnings and notes not with -q; the kind coloured where colour is wanted)."""
    if is_quiet() and kind in _SILENCEABLE:
        return
    label = click.style(f"{kind}:", fg=COLORS.get(kind), bold=kind.endswith("error"))
    click.echo(f"refkit: {label} {one_line(message)}", err=True, color=use_color())


def printable(text: str) -> str:
    """`text` with every control character but tab and newline made visible."""
    return _CONTROL.sub(_picture, text)


def one_line(text: str) -> str:
    """`text` as one printable line: line breaks and runs of white space become one space."""
    return " ".join(printable(text).split())


def json_escaped(text: str) -> str:
    """JSON text with the characters json.dumps leaves raw but terminals act
    on (DEL, C1 controls, bidirectional controls) written as \\u escapes:
    the same JSON value, safe to print."""
    return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _picture(match: re.Match) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"
