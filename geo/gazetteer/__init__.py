"""The offline gazetteer: built once from packaged data into SQLite, then read."""
