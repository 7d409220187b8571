"""`safe_text`: the one function that makes a string from the network safe to draw, copy or log.

A customer name, a label, a server's `error_message`, an HTTP reason phrase or a request id can hold terminal
control sequences: `ESC ] 0 ; title BEL` retitles the terminal, `ESC [ 2 J` clears it, an OSC 8 sequence makes
a live hyperlink, a bidirectional override makes "gnp.exe" read as "exe.png". Every such character is replaced
by a visible stand-in, so the text stays readable and what was sent stays recognisable:

- C0 controls (NUL..US: ESC, BEL, backspace, CR, LF, tab, ...) by their Unicode control pictures (`␛`, `␇`,
  `␈`, `␍`, `␊`, `␉`), DEL by `␡`: "␛]0;x␇" shows that someone tried to set the title;
- C1 controls (U+0080..U+009F, which some terminals obey like ESC sequences), the bidirectional embeddings,
  overrides and isolates (U+202A..U+202E, U+2066..U+2069), the line and paragraph separators
  (U+2028, U+2029) and lone surrogates (U+D800..U+DFFF: a JSON `"\ud800"` escape decodes to one, and no
  terminal encoding can write it, so printing it would fail) by U+FFFD.

Rich markup is a different matter: `safe_text` leaves `[bold]` alone, and the app never parses network text
as markup (tables draw segments, labels and notifications are built with `markup=False`).

It runs for every field of every customer row, so the common case (nothing to replace) costs one
`str.isprintable()`, done in C; only a string that fails it is translated. Replacing is idempotent: applying
it twice gives what applying it once gave. No imports beyond the standard library: it is on the path to the
first frame.
"""

from __future__ import annotations

from typing import Final

REPLACEMENT: Final = "\ufffd"

#: Code points replaced, and their stand-ins (a `str.translate` table).
_TABLE: Final[dict[int, str]] = {
    **{code: chr(0x2400 + code) for code in range(0x20)},
    0x7F: "\u2421",
    **{code: REPLACEMENT for code in range(0x80, 0xA0)},
    **{code: REPLACEMENT for code in range(0x202A, 0x202F)},
    **{code: REPLACEMENT for code in range(0x2066, 0x206A)},
    0x2028: REPLACEMENT,
    0x2029: REPLACEMENT,
    **{code: REPLACEMENT for code in range(0xD800, 0xE000)},
}


def safe_text(value: str) -> str:
    """`value` with every terminal control, bidirectional control and line separator replaced by a visible
    stand-in (see the module doc); `value` itself when it has none."""
    # Every replaced character is non-printable in Python's sense, so a printable string needs no work.
    # Many harmless characters are non-printable too (a no-break space, a zero-width joiner in an emoji):
    # they take the slower path and come out unchanged.
    if value.isprintable():
        return value
    return value.translate(_TABLE)


def safe_lines(value: str) -> str:
    """`safe_text` for a text whose line breaks are the app's own (an address of several lines): each line
    is made safe, the line feeds between them stay."""
    if value.isprintable():
        return value
    return "\n".join(safe_text(line) for line in value.split("\n"))


#: What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@")


def csv_cell(value: str) -> str:
    """A cell as a spreadsheet must get it: safe text, and never a formula (a leading apostrophe instead).
    One rule for every CSV this program writes: the table's export and the commands' `--csv`."""
    text = safe_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
