"""The ten cybersecurity risk-management measures of Directive (EU) 2022/2555, Article 21(2)."""

from django.utils.translation import gettext_lazy

# Short names of the ten measures of Directive (EU) 2022/2555 Art. 21(2), points (a) to (j).
ART21_TITLES = {
    "a": gettext_lazy("risk analysis and security policies"),
    "b": gettext_lazy("incident handling"),
    "c": gettext_lazy("business continuity and crisis management"),
    "d": gettext_lazy("supply chain security"),
    "e": gettext_lazy("security of acquisition, development and maintenance, vulnerability handling"),
    "f": gettext_lazy("assessing the effectiveness of measures"),
    "g": gettext_lazy("cyber hygiene and training"),
    "h": gettext_lazy("cryptography and encryption"),
    "i": gettext_lazy("human resources security, access control and asset management"),
    "j": gettext_lazy("multi-factor authentication and secured communications"),
}
