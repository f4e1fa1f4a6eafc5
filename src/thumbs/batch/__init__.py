"""The batch engine behind `thumbs analyze`: many reviews in, one result each out, in order.

sources reads files, folders, globs, tables and stdin lazily as records; targets checks where
results may go (format, same file as an input, streams, path problems) before any work; engine
hands chunks to the model (on worker processes with --jobs), journals results, resumes and
reports an interruption; outputs writes JSON Lines, JSON, CSV, TSV or Parquet atomically.
"""
