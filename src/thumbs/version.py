"""The version of thumbs, in one place: pyproject.toml reads it from here without importing the package.

A module of its own, so that a stage low in the layers (training writes the version into a model
file) can read it without importing ``thumbs`` itself, whose ``__init__`` imports the shells' APIs.
"""

__version__ = "0.2.0"
