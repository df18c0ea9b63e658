"""django-oauth-toolkit's discovery document, with what a ProConnect client reads there besides."""

import json

from django.http import JsonResponse
from oauth2_provider.views import ConnectDiscoveryInfoView


class ProConnectDiscoveryView(ConnectDiscoveryInfoView):
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        standard = super().get(request, *args, **kwargs)
        document = json.loads(standard.content)
        document.update(
            userinfo_signing_alg_values_supported=["RS256"],
            acr_values_supported=["eidas1"],
            claims_parameter_supported=True,
        )
        response = JsonResponse(document)
        response["Access-Control-Allow-Origin"] = "*"
        return response
