"""The agents' ProConnect claims, one row per user of the test provider, and the provider's commands."""
