"""The detectors of text a French reader should not see (tests/french_text.py)."""

from pathlib import Path

import pytest

from tests.french_text import (
    FrenchChecker,
    english_fragments,
    find_doubled_percent,
    find_identifiers,
    find_tokens,
    find_untranslated,
    read_po,
    visible_text,
)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param("<p>Bonjour</p><script>var done = 1;</script>", "Bonjour", id="script-left-out"),
        pytest.param("<style>.done { color: red }</style><p>Clos</p>", "Clos", id="style-left-out"),
        pytest.param(
            "<html><head><title>Plan</title><meta name='x' content='pending'></head><body>Corps</body></html>",
            "Plan\nCorps",
            id="title-kept-head-left-out",
        ),
        pytest.param('<a href="/x" title="Sécurité">Anne</a>', "Sécurité\nAnne", id="title-attribute"),
        pytest.param('<nav aria-label="Pages"></nav>', "Pages", id="aria-label"),
        pytest.param('<input name="q" placeholder="Rechercher">', "Rechercher", id="placeholder"),
        pytest.param('<img src="x.svg" alt="Code QR">', "Code QR", id="alt"),
        pytest.param('<input type="submit" value="Envoyer">', "Envoyer", id="submit-caption"),
        pytest.param('<button name="status" value="closed">Clos</button>', "Clos", id="button-value-not-shown"),
        pytest.param('<input type="hidden" name="anchor" value="in_progress">', "", id="hidden-input"),
        pytest.param('<input type="text" name="label" value="2026-T4">', "", id="typed-value-not-prose"),
        pytest.param("<td>a</td><td>b</td>", "a\nb", id="cells-apart"),
        pytest.param('<a href="/1">Vue</a><a href="/2">Plan</a>', "Vue Plan", id="links-apart"),
        pytest.param("<p>Mot   entre\n  espaces</p>", "Mot entre espaces", id="spaces-collapsed"),
        pytest.param("<p>L&#x27;agglom&eacute;ration</p>", "L'agglomération", id="entities-decoded"),
        pytest.param(
            '<html lang="fr"><body><option lang="en">English</option><p>Échec <code lang="en">OSError: no space'
            "</code> ici</p></body></html>",
            "Échec ici",
            id="marked-as-another-language",
        ),
        pytest.param("<ul><li>un<li>deux</ul><p>trois</p>", "un\ndeux\ntrois", id="implicitly-closed"),
        pytest.param(
            '<svg aria-label="Carte"><title>Infobulle</title><text>E3</text></svg>', "Carte\nInfobulle\nE3", id="chart"
        ),
    ],
)
def test_visible_text(html: str, expected: str) -> None:
    assert visible_text(html) == expected


PO = r"""# header
msgid ""
msgstr ""
"Language: fr\n"

#: a.py:1
msgid "Saved."
msgstr "Enregistré."

#: a.py:2
#, python-format
msgid "Scores of %(label)s"
msgstr "Scores de %(label)s"

#: a.py:3
msgid ""
"The assessment is validated; it can no "
"longer be changed."
msgstr ""
"L’évaluation est validée ; elle ne peut "
"plus être modifiée."

#: a.py:4
#, fuzzy
#| msgid "Old text"
msgid "%(count)s incident was recorded %(period)s."
msgid_plural "%(count)s incidents were recorded %(period)s."
msgstr[0] "%(count)s incident enregistré"
msgstr[1] "%(count)s incidents enregistrés"

#: a.py:5
msgctxt "between the changes of a corrected filing"
msgid "; "
msgstr " ; "

#: a.py:6
msgid "<strong>Not yet law:</strong> the bill"
msgstr "<strong>Pas encore une loi :</strong> le projet"

#: a.py:7
msgid "open source"
msgstr "libre"

#: a.py:8
msgid "Open source"
msgstr "Libre (open source)"

#: a.py:9
msgid "Say \"yes\""
msgstr "Dites « oui »"

#~ msgid "Obsolete sentence here"
#~ msgstr "Phrase obsolète"
"""


@pytest.fixture
def po_file(tmp_path: Path) -> Path:
    path = tmp_path / "django.po"
    path.write_text(PO, encoding="utf-8")
    return path


def test_read_po(po_file: Path) -> None:
    messages = read_po(po_file)

    assert [(message.msgids, message.fuzzy) for message in messages] == [
        (["Saved."], False),
        (["Scores of %(label)s"], False),
        (["The assessment is validated; it can no longer be changed."], False),
        (["%(count)s incident was recorded %(period)s.", "%(count)s incidents were recorded %(period)s."], True),
        (["; "], False),
        (["<strong>Not yet law:</strong> the bill"], False),
        (["open source"], False),
        (["Open source"], False),
        (['Say "yes"'], False),
    ]
    assert messages[2].msgstrs == ["L’évaluation est validée ; elle ne peut plus être modifiée."]


def test_english_fragments(po_file: Path) -> None:
    """Split at placeholders and tags; short pieces, and pieces a French translation holds, left out; a fuzzy
    translation counts as none."""
    assert english_fragments(read_po(po_file)) == [
        "Not yet law",
        "Open source",  # the French “Libre (open source)” holds it in lower case only
        'Say "yes"',
        "Scores of",
        "The assessment is validated; it can no longer be changed",
        "incident was recorded",
        "incidents were recorded",
        "the bill",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param(
            "Note : The assessment is validated; it can no longer be changed.",
            ["The assessment is validated; it can no longer be changed"],
            id="sentence",
        ),
        pytest.param("2 incidents were\nrecorded ce trimestre", ["incidents were recorded"], id="across-lines"),
        pytest.param("Scores ofrance", [], id="not-inside-a-word"),
        pytest.param("L’évaluation est validée.", [], id="french"),
    ],
)
def test_find_untranslated(text: str, found: list[str]) -> None:
    fragments = ["The assessment is validated; it can no longer be changed", "incidents were recorded", "Scores of"]
    assert [finding.needle for finding in find_untranslated(text, fragments)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("Statut : in_progress", ["in_progress"], id="underscored"),
        pytest.param("Catégorie : intrusion-attempts.", ["intrusion-attempts"], id="hyphenated"),
        pytest.param("Lois : US_CLOUD_ACT, CN_NIL_2017", ["US_CLOUD_ACT", "CN_NIL_2017"], id="law-codes"),
        pytest.param("Stratégie : migrate", ["migrate"], id="word"),
        pytest.param("Stratégie : Migrate", [], id="case-sensitive"),
        pytest.param("Tentatives d'intrusion", [], id="part-of-a-value-is-not-the-value"),
        pytest.param("logiciel open-source, emigrate", [], id="inside-a-longer-token"),
        pytest.param("Niveau régional", [], id="accented-word-is-one-token"),
    ],
)
def test_find_raw_values(text: str, found: list[str]) -> None:
    raw = {"in_progress", "intrusion-attempts", "US_CLOUD_ACT", "CN_NIL_2017", "migrate", "open", "regional"}
    assert [finding.needle for finding in find_tokens(text, raw, kind="raw value")] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("The Carlyle group", ["The"], id="any-case"),
        pytest.param("Thème, théorie", [], id="inside-a-word"),
        pytest.param("Pending", ["Pending"], id="capitalised"),
    ],
)
def test_find_english_words(text: str, found: list[str]) -> None:
    assert [
        finding.needle for finding in find_tokens(text, {"the", "pending"}, kind="English word", ignore_case=True)
    ] == found


def test_find_doubled_percent_and_identifiers() -> None:
    assert [finding.needle for finding in find_doubled_percent("incidents clos (%%), 50 %")] == ["%%"]
    assert [finding.needle for finding in find_identifiers("current_level : 2 → 3 ; Fin_contrat ; a_b")] == [
        "current_level",
        "a_b",
    ]


def test_checker_leaves_out_proper_names_and_addresses_and_gives_context() -> None:
    checker = FrenchChecker(
        english=("longer be changed",),
        raw_values=frozenset({"done", "fr"}),
        english_words=frozenset({"the"}),
        ignored_phrases=("The Carlyle Group",),
    )

    findings = checker.findings(
        "Éditeur : The Carlyle Group. Voir https://cyber.gouv.fr/the_page ou cybermalveillance.gouv.fr, "
        "écrire à rssi_adjoint@ville.example. Statut : done ; it can no longer be changed ; reviewed_at (%%)"
    )

    assert [(finding.kind, finding.needle) for finding in findings] == [
        ("doubled percent", "%%"),
        ("untranslated", "longer be changed"),
        ("raw value", "done"),
        ("identifier", "reviewed_at"),
    ]
    assert str(findings[2]) == (
        "raw value: 'done' in “…ur : […]. Voir […] ou […], écrire à […]. Statut : done ; it can no longer be "
        "changed ; reviewed_at (%%)…”"
    )
