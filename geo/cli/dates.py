"""python -m geo dates FILE... --out DIR [--date YYYY-MM-DD]: the time expressions of each file.

Writes DIR/<stem>.dates.json: {"document_date": ..., "timex": [{"start", "end", "text", "type",
"value"}, ...]}, offsets into the file's text as the product reads it (geo.text.documents), values as
TempEval-3 writes them. The document date is --date when given, else the one the text gives itself
(a dateline, a date under the headline, a "Posted on" line), else null. The reader is the one the
routes use (geo.extraction.timex); the spaCy model loads once for all the files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from geo.cli.options import iso_date
from geo.errors import GeoError
from geo.cli.output import read_files


def add_parser(subparsers) -> None:
    d = subparsers.add_parser("dates", help="write the time expressions of each file (TIMEX3) as JSON")
    d.add_argument("files", nargs="+", metavar="FILE")
    d.add_argument("--out", required=True, metavar="DIR")
    d.add_argument("--date", type=iso_date, default=None, metavar="YYYY-MM-DD",
                   help="the documents' own date (wins over the one read from the text); anchors "
                        "'yesterday', 'on Monday', 'last week'")
    d.set_defaults(run=run)


def run(args) -> int:
    from geo.extraction.docdate import document_date
    from geo.extraction.nlp import load_nlp
    from geo.extraction.timex import timex_document
    from geo.fsutil import write_atomic

    documents, failed = read_files(args.files)
    if not documents:
        return 1
    try:
        nlp = load_nlp()
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = Path(args.out)
    parsed = nlp.pipe((d.text for _, d in documents), batch_size=8)
    for (path, document), doc in zip(documents, parsed):
        dct = args.date or document_date(document.text)
        record = timex_document(doc, dct)
        try:
            write_atomic(out / f"{path.stem}.dates.json", json.dumps(record, ensure_ascii=False, indent=1) + "\n")
        except OSError as err:
            print(f"error: {out}: {path.stem}.dates.json cannot be written ({err.strerror or err})", file=sys.stderr)
            failed += 1
    return 1 if failed else 0
