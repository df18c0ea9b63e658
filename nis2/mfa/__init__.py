"""Second factor at sign-in: TOTP authenticator applications (django-otp) and single-use recovery codes.

Whether a session still owes its second factor is decided once, when the person signs in (``signals``), and kept in
the session: the gate (``middleware``) then costs no query. An organisation's requirement therefore applies from each
person's next sign-in; sessions last at most ``SESSION_COOKIE_AGE`` (10 hours by default).
"""
