"""The reading room: an archive's reports.db in Datasette, read like a catalogue.

    python -m crawler.browse [archive/demo/reports.db] [--port 8001]      (make browse)

metadata.yml titles and describes every table and column, sets the facets and the canned queries;
plugin.py (a Datasette plugin, entry point ``xxgk_reading_room``) draws a report's text and tables and
gives the catalogue a search box for terms of any length in either script. Datasette is the optional
extra ``.[browse]``.
"""
from pathlib import Path

METADATA = Path(__file__).resolve().parent / "metadata.yml"
TEMPLATES = Path(__file__).resolve().parent / "templates"   # a report's own page
