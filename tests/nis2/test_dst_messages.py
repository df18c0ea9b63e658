"""A naive time refused on a daylight-saving night is quoted back in the API's message, in French and in
English, never as a literal placeholder."""

import pytest
from django.utils import translation
from rest_framework.exceptions import ValidationError

from nis2.api.fields import StrictDateTimeField


def refusal(value: str, language: str) -> str:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        StrictDateTimeField().run_validation(value)
    [message] = caught.value.detail
    return str(message)


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        pytest.param(
            "2026-03-29T02:30",
            "en",
            "“2026-03-29 02:30:00” does not exist in Europe/Paris (clocks jump forward that night): "
            "give an explicit offset.",
            id="spring-gap-en",
        ),
        pytest.param(
            "2026-03-29T02:30",
            "fr",
            "« 2026-03-29 02:30:00 » n'existe pas dans le fuseau Europe/Paris (passage à l'heure d'été "
            "cette nuit-là) : indiquez un décalage explicite.",
            id="spring-gap-fr",
        ),
        pytest.param(
            "2026-10-25T02:30",
            "en",
            "“2026-10-25 02:30:00” happens twice in Europe/Paris (clocks go back that night): "
            "give an explicit offset, +02:00 or +01:00.",
            id="fall-back-en",
        ),
        pytest.param(
            "2026-10-25T02:30",
            "fr",
            "« 2026-10-25 02:30:00 » survient deux fois dans le fuseau Europe/Paris (retour à l'heure d'hiver "
            "cette nuit-là) : indiquez un décalage explicite, +02:00 ou +01:00.",
            id="fall-back-fr",
        ),
    ],
)
def test_refused_time_is_quoted_in_the_message(value: str, language: str, expected: str) -> None:
    message = refusal(value, language)

    assert message == expected
    assert "%(" not in message
