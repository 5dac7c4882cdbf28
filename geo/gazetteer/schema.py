"""The gazetteer's SQLite schema: what the builder writes and the reader checks.

  entry(num, id, name, kind, cc, lat, lon, population, admin1, source)
  name(folded, entry)   every key an entry is found by; primary key (folded, entry)
  member(entry, cc)     the countries of a region or continent
  demonym(folded, cc)   "turkish" -> TR
  meta(key, value)      schema, max_name_tokens, attribution (what the data's licences ask to be said)

A file whose meta schema is not SCHEMA_VERSION is refused by the reader.
"""

SCHEMA_VERSION = "2"
KIND_ORDER = ("country", "region", "admin", "city", "site")  # how lookups are ordered, first to last

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entry (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    cc TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    population INTEGER NOT NULL,
    admin1 TEXT,
    source TEXT NOT NULL
);
CREATE TABLE name (folded TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (folded, entry)) WITHOUT ROWID;
CREATE TABLE member (entry INTEGER NOT NULL, cc TEXT NOT NULL, PRIMARY KEY (entry, cc)) WITHOUT ROWID;
CREATE TABLE demonym (folded TEXT PRIMARY KEY, cc TEXT NOT NULL) WITHOUT ROWID;
"""

