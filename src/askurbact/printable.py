"""Text from documents, file names and saved chats, made safe to print: a control
character reaching a terminal is a command to it (ESC [2J clears the screen, OSC 0 sets the
window title), so every front end shows them as visible symbols instead. Line breaks and
tabs stay. JSON output keeps the text exact: such characters are JSON-escaped there."""

from __future__ import annotations

import json
import re

# C0 controls but tab and line feed, DEL, C1 controls, and lone surrogates (a file name
# that is not UTF-8 carries them; they cannot even be encoded for printing).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# JSON leaves DEL, C1 and lone surrogates raw (it escapes the C0 controls itself).
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def _symbol(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ … ␛ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls and lone surrogates


def printable(text: str) -> str:
    """`text` with every control character (but tab and line feed) shown as a symbol."""
    return _UNSAFE.sub(_symbol, text)


def printable_json(value: object, ascii_only: bool = False) -> str:
    """JSON of `value` on one line, every string exact (json.loads gives it back) and safe to
    print; `ascii_only` escapes all that is not ASCII (for a stream that cannot encode it)."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=ascii_only))
