"""Summaries of many reviews: what an audience thinks of a film, and of its parts."""
