"""Document text made safe to show in a terminal.

Documents are untrusted: an ESC or OSC sequence in a passage (`\\x1b]0;title\\x1b\\\\`, an
OSC 52 clipboard write, `\\x1b[2J`) would be obeyed by the terminal if printed raw. Every
control character except newline and tab is shown as a visible stand-in instead: C0 controls
as their Unicode Control Pictures (ESC as "␛"), DEL and C1 controls (U+0080-U+009F, which
include the 8-bit CSI) and the bidirectional overrides as `<U+XXXX>`. Rich markup is escaped
separately, where Rich renders (`rich.markup.escape`), because plain JSON output must keep
brackets as they are.
"""

from __future__ import annotations

import re

# C0 controls but \t and \n, DEL, C1 controls, and the bidi embedding/override/isolate marks
# (which can make a displayed line read differently from its bytes).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400.. Control Pictures: "␛" for ESC
    return f"<U+{code:04X}>"


def printable(text: str) -> str:
    """`text` with every control character but newline and tab made visible."""
    return _UNSAFE.sub(_visible, text)
