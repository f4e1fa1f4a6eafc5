"""The batch engine behind `thumbs analyze`: many reviews in, one result each out, in order.

sources reads files, folders, globs, tables and stdin lazily as records; engine hands chunks to
the model (on worker processes with --jobs), journals results and resumes; outputs writes
JSON Lines, CSV or Parquet atomically.
"""
