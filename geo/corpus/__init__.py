"""Corpora: batches of documents analysed serially or on Dask into a Parquet store."""
