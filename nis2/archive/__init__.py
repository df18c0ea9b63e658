"""An organisation's data leaving Rempart, and coming back: the export/import archive.

Each app declares in its ``portability.py`` what it owns (rows exported with their history), which
shared reference data it holds (referred to by a natural key, never copied) and what it
deliberately leaves out. The core discovers those modules, so it imports no app.
"""
