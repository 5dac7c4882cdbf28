"""From a text to a map of who went where, and when.

The public entry point is :func:`geo.pipeline.analyse`; the command line is
``python -m geo`` and the dashboard is ``dashboard.py``.
"""

__version__ = "0.1.0"
