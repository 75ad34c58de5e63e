"""entraide: keep your professional network alive from inside your Markdown vault."""

__version__ = "0.1.0"
