"""Reading pages, e-mails and PDFs as a French reader: the detectors of tests/french_text.py set up for
the enriched demo, and the findings gathered per place and reader (for tests/test_french_everywhere.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client

from dependencies import tabular
from dependencies.exposure import Law
from dependencies.models import LegalEntity, Product
from incidents import deadlines, taxonomy
from tests.fixtures.every_choice import choice_fields
from tests.french_text import Finding, FrenchChecker, english_fragments, pdf_text, read_po, visible_text

PO_FILE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"

# Choice values that are also French words, or codes shown on purpose: a match proves nothing.
ALLOWED_RAW_VALUES = {
    "public": "French adjective (“site public”)",
    "local": "French noun and adjective (“local technique”)",
    "national": "French adjective",
    "organisation": "French noun",
    "action": "French noun (“plan d'action”)",
    "communication": "French noun",
    "note": "French noun",
    "commune": "French noun",
    "important": "French adjective (“entité importante” is the label, “important” a French word)",
    "investigation": "French noun",
    "violence": "French noun (RSIT type)",
    "sabotage": "French noun (RSIT type)",
    "exploit": "French noun (RSIT type)",
    "test": "French noun (RSIT class)",
    "scanner": "French noun (RSIT type)",
    "en": "French preposition (the code of the English language)",
    "bureau": "French noun (the deciding body)",
    "final": "French adjective (“rapport final”)",
    "notification": "French noun",
    "spam": "the RSIT's French names keep the English term of art in brackets: “Pourriel (spam)”",
    "sniffing": "as above: “Écoute du trafic réseau (sniffing)”",
}
# Unambiguous English words, whatever their case; not French, not a product or a column code.
ENGLISH_WORDS = {
    "the",
    "and",
    "with",
    "of",
    "for",
    "from",
    "this",
    "that",
    "your",
    "you",
    "are",
    "is",
    "was",
    "has",
    "have",
    "not",
    "none",
    "yes",
    "no",
    "unknown",
    "overdue",
    "pending",
    "done",
    "owner",
    "late",
    "closed",
    "failed",
    "running",
    "draft",
    "validated",
    "true",
    "false",
    "assessment",
    "requirement",
    "deadline",
    "submitted",
    "severity",
    "significant",
    "without",
    "should",
    "which",
    "when",
}
# Phrases removed before looking, each for the reason given.
ALLOWED_PHRASES = {
    "yes/no": "the words the import file accepts, shown next to “oui/non” (dependencies/import.html)",
    "open data": "French usage (the name of domain D14)",
    "open source": "French usage (“Libre (open source)”)",
    "manage.py import_organisation": "the command an operator types (the data export page)",
    **dict.fromkeys(tabular.COLUMNS, "a column of the import file, shown on purpose (dependencies/import.html)"),
}


@dataclass
class Problems:
    """Findings by where they were read (a page, an e-mail, a PDF) and by whom."""

    found: dict[tuple[str, str], list[Finding]] = field(default_factory=lambda: defaultdict(list))

    def add(self, place: str, findings: list[Finding], reader: str = "") -> None:
        known = self.found[(place, reader)]
        seen = {(finding.kind, finding.needle) for finding in known}
        for finding in findings:
            if (finding.kind, finding.needle) not in seen:
                seen.add((finding.kind, finding.needle))
                known.append(finding)

    def report(self) -> str:
        """One entry per place, the readers who saw the same findings there together."""
        readers: dict[tuple[str, tuple[Finding, ...]], list[str]] = defaultdict(list)
        for (place, reader), findings in self.found.items():
            if findings:
                readers[(place, tuple(findings))].append(reader)
        lines = [f"{len(readers)} place(s) with text a French reader should not see:"]
        for (place, findings), who in sorted(readers.items(), key=lambda item: item[0][0]):
            lines.append(f"- {place}" + (f" ({', '.join(sorted(who))})" if any(who) else ""))
            lines += [f"    {finding}" for finding in findings]
        return "\n".join(lines)

    def __bool__(self) -> bool:
        return any(self.found.values())


def raw_values() -> set[str]:
    """Codes that reach a reader only through their label: the domain models' choice values, the incident
    taxonomy's tags, the reporting clock's statuses and the extraterritorial laws' codes."""
    values = {value for _model, model_field in choice_fields() for value, _label in model_field.flatchoices}
    values |= {entry.tag for entry in taxonomy.classes()} | {
        item.tag for entry in taxonomy.classes() for item in entry.types
    }
    values |= {status.value for status in deadlines.Status} | {law.value for law in Law}
    return {value for value in values if isinstance(value, str) and value} - set(ALLOWED_RAW_VALUES)


def french_checker() -> FrenchChecker:
    """The detectors, with proper names left aside: the vendors and products of the catalogue, and the
    usernames (“admin” names the demo's administrator, not the role)."""
    names = (
        set(LegalEntity.objects.values_list("name", flat=True))
        | set(Product.objects.values_list("name", flat=True))
        | set(get_user_model().objects.values_list("username", flat=True))
    )
    return FrenchChecker(
        english=tuple(english_fragments(read_po(PO_FILE))),
        raw_values=frozenset(raw_values()),
        english_words=frozenset(ENGLISH_WORDS),
        ignored_phrases=tuple(names | set(ALLOWED_PHRASES)),
    )


def french_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if user is not None:
        client.force_login(user)
    return client


def read_html(response: HttpResponse, place: str, reader: str, checker: FrenchChecker, problems: Problems) -> None:
    problems.add(place, checker.findings(visible_text(response.content.decode())), reader)


def read_page(
    client: Client, url: str, reader: str, checker: FrenchChecker, problems: Problems, *, follow: bool = False
) -> int:
    """Open the page and read it (a redirection is not read: its target is a page of its own)."""
    response = client.get(url, follow=follow)
    assert response.status_code in (200, 302, 403, 404), (reader, url, response.status_code)
    if response.status_code != 302 and response["Content-Type"].startswith("text/html"):
        read_html(response, url, reader, checker, problems)
    return response.status_code


def read_pdf(pdf: bytes, place: str, checker: FrenchChecker, problems: Problems) -> None:
    assert pdf.startswith(b"%PDF"), place
    problems.add(place, checker.findings(pdf_text(pdf)))
