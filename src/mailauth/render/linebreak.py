"""Where a line of text may break, for Japanese as well as for English.

Rich wraps text at spaces only. Japanese prose has no spaces between words, so rich sees a
whole sentence as one word: it moves the sentence to a new line, leaving the line before it
nearly empty, then chops it at the width wherever a character falls (a closing bracket or
「。」 at the start of a line). Japanese is broken between any two characters instead, except
where the line-breaking rules of Japanese typesetting (禁則処理, JIS X 4051) forbid it: never
before closing brackets, 、。 and small kana, never after opening brackets. A run of Latin
letters and digits (a domain name, a tag, `v=spf1`) is still one word, unbroken.

Rich has no hook for its line breaker: `Text.wrap` calls `rich.text.divide_line`, looked up
when it runs. `install()` puts `divide_line` (render/wrap.py, which the plain canvas also
uses) in its place; for text without wide
characters it is rich's own, so English output does not change by a single byte.
"""

from __future__ import annotations

import rich.text

from mailauth.render.wrap import divide_line


def install() -> None:
    """Make rich's `Text.wrap` break Japanese where Japanese may break (see the module)."""
    rich.text.divide_line = divide_line  # type: ignore[attr-defined]
