"""File names that come from somebody else's bundle are data, never part of a command.

A name such as ``"Ke hoach\u202efdp.exe"`` *looks* like ``…exe.pdf`` on screen but is an
``.exe``; ``"CON.pdf"`` cannot be created on Windows; ``"a/../../b"`` walks out of a folder.
:func:`clean_file_name` gives the one name ParApp shows and writes for such a file: NFC, no
control, bidi or zero-width characters, no path separators or characters Windows forbids,
no trailing dots or spaces, no reserved device name, bounded length. Pure (no I/O).
"""

from __future__ import annotations

import re
import unicodedata

FALLBACK_NAME = "tai-lieu"
MAX_NAME_CHARS = 150
# Bidi embeddings/overrides/isolates and marks, zero-width characters, BOM, Mongolian vowel
# separator: all invisible, all able to disguise an extension. Any other format (Cf) or
# control (Cc) character is dropped too.
_INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
_RESERVED = re.compile(r"(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])", re.I)


def clean_file_name(name: str) -> str:
    """The safe, displayable form of an untrusted file name (never empty)."""
    text = unicodedata.normalize("NFC", str(name))
    text = re.sub(r"[\t\n\r\f\v]", " ", _INVISIBLE.sub("", text))  # line breaks: spaces
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())  # tabs, newlines, runs of spaces
    text = text.strip(" .")  # Windows drops trailing dots/spaces; leading ones hide files
    if not text:
        return FALLBACK_NAME
    if _RESERVED.fullmatch(text.split(".", 1)[0].rstrip(" ")):
        text = f"_{text}"
    if len(text) > MAX_NAME_CHARS:
        suffix = text[text.rfind(".") :] if "." in text[-12:] else ""
        text = text[: MAX_NAME_CHARS - len(suffix)].rstrip(" .") + suffix
    return text


def extension_of(name: str) -> str:
    """The last extension of a (cleaned) name, lower case, without the dot (``""`` if none)."""
    base = name.rsplit(".", 1)
    return base[1].lower() if len(base) == 2 and base[0] else ""
