"""Detectors of what a French reader should never see in a page, an e-mail or a PDF rendered in French:
an English message of the catalogue left untranslated, a raw choice value instead of its label, a doubled
percent sign, a common English word. They read plain text: ``visible_text`` makes it from HTML (what the
screen shows or a screen reader says), ``pdf_text`` from a PDF.

Each detector returns ``Finding``s with the offending string and the text around it, so that a failure
says what to fix and where.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# Elements whose text is never shown.
HIDDEN_ELEMENTS = frozenset({"script", "style", "template", "head", "noscript"})
# The document title is shown (tab, window, bookmarks) although it lives in <head>.
SHOWN_IN_HEAD = frozenset({"title"})
# Attributes a person sees or hears: a tooltip, an accessible name, a hint in an empty field, a text
# replacing an image. A <button>'s ``value`` is sent with the form, never shown: it is left out.
SHOWN_ATTRIBUTES = frozenset({"title", "aria-label", "placeholder", "alt"})
# The ``value`` of these inputs is their caption.
CAPTIONED_INPUT_TYPES = frozenset({"submit", "button", "reset"})
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Elements that start a new line of text, so that words of two cells or items never join.
BLOCK_ELEMENTS = frozenset(
    {
        "p",
        "div",
        "li",
        "td",
        "th",
        "tr",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "option",
        "label",
        "button",
        "summary",
        "br",
        "caption",
        "small",
        "title",
        "text",
    }
)

# Inline elements whose neighbours are separate words (the links of a menu, side by side).
SEPARATED_ELEMENTS = frozenset({"a"})

# A token: letters, digits and underscores, hyphens inside (``intrusion-attempts``, ``in_progress``, ``E3``).
TOKEN = re.compile(r"\w+(?:-\w+)*")
WORD = re.compile(r"\w+")
# Placeholders of the catalogue's messages (python-format and Django's blocktranslate variables).
# An identifier of the code (a field name such as ``current_level``): lower case words joined by underscores.
IDENTIFIER = re.compile(r"(?<![\w@.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@-])")
# Addresses are not prose: web addresses, e-mail addresses and domain names (``cybermalveillance.gouv.fr``).
ADDRESS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:[\w-]+\.)+(?:fr|eu|org|com|net|io)\b")
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfr]|%[sdfr]|\{\{[^}]*\}\}|\{[a-z_]*\}")
TAG = re.compile(r"<[^>]+>")
CONTEXT_CHARACTERS = 50
LEFT_OUT = "[…]"  # in a finding's context, where an address or an ignored phrase was


@dataclass(frozen=True)
class Finding:
    kind: str  # "untranslated", "raw value", "doubled percent", "English word"
    needle: str
    context: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.needle!r} in “…{self.context}…”"


def one_line(value: str) -> str:
    return " ".join(value.split())


class _VisibleTextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.open: list[tuple[str, bool]] = []  # the open elements, each with whether its text is left out

    @property
    def left_out(self) -> bool:
        return bool(self.open) and self.open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        language = (attributes.get("lang") or "fr").lower()
        left_out = (
            (self.left_out and tag not in SHOWN_IN_HEAD) or tag in HIDDEN_ELEMENTS or not language.startswith("fr")
        )
        if tag in BLOCK_ELEMENTS:
            self.chunks.append("\n")
        elif tag in SEPARATED_ELEMENTS:
            self.chunks.append(" ")
        if not left_out and attributes.get("type") != "hidden":
            for name in SHOWN_ATTRIBUTES:
                if attributes.get(name):
                    self.chunks.append(f"\n{attributes[name]}\n")
            if tag == "input" and attributes.get("type") in CAPTIONED_INPUT_TYPES and attributes.get("value"):
                self.chunks.append(f"\n{attributes['value']}\n")
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, left_out))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        # Elements left open (a <p> or <li> closed implicitly) close with their parent.
        if any(name == tag for name, _left_out in self.open):
            while self.open and self.open.pop()[0] != tag:
                pass
        if tag in BLOCK_ELEMENTS:
            self.chunks.append("\n")
        elif tag in SEPARATED_ELEMENTS:
            self.chunks.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.left_out:
            self.chunks.append(re.sub(r"\s+", " ", data))  # a line break in the source is a space on screen


def visible_text(html: str) -> str:
    """The text a person sees or hears: element text outside scripts and styles, the document title, and
    the attributes that are shown (``SHOWN_ATTRIBUTES``, the caption of submit inputs). One line per block,
    spaces collapsed within a line. Text marked as written in another language (``lang="en"``, as RGAA
    criterion 8.7 asks for a language name or a system message quoted as is) is left out: its author said so."""
    parser = _VisibleTextParser()
    parser.feed(html)
    parser.close()
    lines = (one_line(line) for line in "".join(parser.chunks).split("\n"))
    return "\n".join(line for line in lines if line)


def pdf_text(pdf: bytes) -> str:
    """The text of every page of a PDF, one line per line of text."""
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


# --- The French catalogue ---------------------------------------------------------------------------


@dataclass
class Message:
    msgids: list[str] = field(default_factory=list)  # the singular and, for a plural, the plural
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False


def _po_string(line: str) -> str:
    """The value of one quoted .po line, escapes resolved."""
    quoted = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), quoted)


def read_po(path: Path) -> list[Message]:
    """Messages of a .po file (obsolete entries left out); a tiny reader, enough for makemessages' output."""
    messages: list[Message] = []
    current: Message | None = None
    target: list[str] | None = None
    for raw_line in path.read_text(encoding="utf-8").splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,") and "fuzzy" in line:
            current = Message(fuzzy=True)
            messages.append(current)
            target = None
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt"):
            if current is None or current.msgids:
                current = Message()
                messages.append(current)
            target = None
        elif line.startswith(("msgid ", "msgid_plural ")):
            if line.startswith("msgid ") and (current is None or current.msgids):
                current = Message()
                messages.append(current)
            current.msgids.append(_po_string(line))
            target = current.msgids
        elif line.startswith("msgstr"):
            current.msgstrs.append(_po_string(line))
            target = current.msgstrs
        elif line.startswith('"') and target is not None:
            target[-1] += _po_string(line)
    return [message for message in messages if message.msgids and message.msgids[0]]


def _significant(fragment: str) -> bool:
    """Long enough to be an English sentence nobody would write in French: two words or 12 characters."""
    return len(WORD.findall(fragment)) >= 2 or len(fragment) >= 12


def english_fragments(messages: Iterable[Message]) -> list[str]:
    """What must not appear verbatim in French output: each translated message's English text, split at its
    placeholders and tags, keeping the fragments of at least two words or 12 characters that no French
    translation of the catalogue contains (a product name, a legal reference or a loanword such as “open
    source” that French keeps as is is not English)."""
    messages = list(messages)
    # A fuzzy translation is not compiled: its English is what a French reader gets.
    french = "\n".join(
        one_line(TAG.sub(" ", msgstr)) for message in messages if not message.fuzzy for msgstr in message.msgstrs
    )
    fragments: set[str] = set()
    for message in messages:
        for msgid in message.msgids:
            for piece in PLACEHOLDER.split(TAG.sub("\n", msgid)):
                for line in piece.split("\n"):
                    fragment = one_line(line).strip(" .,:;·—–-()")
                    if _significant(fragment) and fragment not in french:
                        fragments.add(fragment)
    return sorted(fragments)


# --- The detectors ----------------------------------------------------------------------------------


def _context(text: str, start: int, end: int) -> str:
    return one_line(text[max(0, start - CONTEXT_CHARACTERS) : end + CONTEXT_CHARACTERS])


@functools.cache
def _words(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text))


def find_untranslated(text: str, fragments: Iterable[str]) -> list[Finding]:
    """English fragments of the catalogue (``english_fragments``) found verbatim, as whole words."""
    flat = one_line(text)
    words = set(WORD.findall(flat))
    findings = []
    for fragment in fragments:
        if not words.issuperset(_words(fragment)):  # cheap: most fragments stop here
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(fragment)}(?!\w)", flat):
            findings.append(Finding("untranslated", fragment, _context(flat, match.start(), match.end())))
            break
    return findings


def find_tokens(text: str, tokens: Iterable[str], *, kind: str, ignore_case: bool = False) -> list[Finding]:
    """Whole tokens (``TOKEN``: a hyphenated or underscored code counts as one) of ``tokens`` in ``text``."""
    wanted = {token.casefold() if ignore_case else token for token in tokens}
    findings, seen = [], set()
    for match in TOKEN.finditer(text):
        token = match.group()
        key = token.casefold() if ignore_case else token
        if key in wanted and (key, match.start()) not in seen:
            seen.add((key, match.start()))
            findings.append(Finding(kind, token, _context(text, match.start(), match.end())))
    return findings


def find_doubled_percent(text: str) -> list[Finding]:
    return [
        Finding("doubled percent", "%%", _context(text, match.start(), match.end()))
        for match in re.finditer("%%", text)
    ]


def find_identifiers(text: str) -> list[Finding]:
    """Identifiers of the code (``IDENTIFIER``) in prose."""
    return [
        Finding("identifier", match.group(), _context(text, match.start(), match.end()))
        for match in IDENTIFIER.finditer(text)
    ]


@dataclass(frozen=True)
class FrenchChecker:
    """Every detector at once, over a text rendered in French.

    ``english``: fragments of the catalogue's English messages (``english_fragments``). ``raw_values``: codes
    that reach a reader only through their label (choice values...), matched as whole tokens,
    case-sensitive; identifiers of the code (``find_identifiers``) are found whatever they are.
    ``english_words``: matched as whole tokens, whatever their case. ``ignored_phrases``: removed before
    looking (proper names of vendors and products, codes shown on purpose), and so are addresses."""

    english: tuple[str, ...]
    raw_values: frozenset[str]
    english_words: frozenset[str]
    ignored_phrases: tuple[str, ...] = ()

    def findings(self, text: str) -> list[Finding]:
        findings = find_doubled_percent(text)
        text = ADDRESS.sub(LEFT_OUT, text)
        words = set(WORD.findall(text))
        for phrase in sorted(self.ignored_phrases, key=len, reverse=True):
            if words.issuperset(_words(phrase)) and phrase in text:
                text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", LEFT_OUT, text)
        findings += find_untranslated(text, self.english)
        findings += find_tokens(text, self.raw_values, kind="raw value")
        findings += [finding for finding in find_identifiers(text) if finding.needle not in self.raw_values]
        findings += find_tokens(text, self.english_words, kind="English word", ignore_case=True)
        return findings
