"""A corpus of many documents made from real news: GeoWebNews and TR-News, varied so that no two are alike.

    .venv/bin/python bench/make_corpus.py OUT [--documents 10000] [--seed 17] [--eval ../shared/eval]

Each document is one of the 318 news texts of ``../shared/eval/geoparse/`` (GeoWebNews, TR-News), in which:

- every person and every place the spaCy model finds is replaced by another of the same label taken
  from the whole corpus (the same name always by the same one within a document): names are
  shuffled between documents, so people and places recur across the corpus as in a real collection;
- its paragraphs are reordered after the first (the lead stays first); a text of one paragraph is cut
  into paragraphs of three sentences first;
- one in ten documents is two texts run together, so that lengths vary.

10,000 documents come to about 4 million words. The same seed gives the same corpus. OUT gets
``doc-00000.txt`` ... and is refused if it already holds files. Nothing is written inside the repository
unless OUT points there (the corpus is not committed).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_EVAL = REPO.parent / "shared" / "eval"
SOURCES = ("GeoWebNews", "TR-News")
SWAPPED = {"PERSON": "PERSON", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC"}
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[A-Z“\"])")
SENTENCES_PER_PARAGRAPH = 3
TWO_TEXTS = 0.1


def sources(eval_dir: Path) -> list[str]:
    from geo.fsutil import natural_key

    texts = []
    for name in SOURCES:
        folder = eval_dir / "geoparse" / name / "docs"
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"), key=lambda p: natural_key(p.name))]
    if not texts:
        raise SystemExit(f"no news texts under {eval_dir / 'geoparse'}; pass --eval")
    return texts


def entities(texts: list[str]) -> list[list[tuple[int, int, str, str]]]:
    """(start, end, label, text) of the names in each text that are swapped."""
    from geo.extraction.nlp import load_nlp

    nlp = load_nlp()
    return [[(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents if e.label_ in SWAPPED]
            for doc in nlp.pipe(texts, batch_size=16)]


def paragraphs(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return lines
    sentences = SENTENCE_END.split(text.strip())
    return [" ".join(sentences[i:i + SENTENCES_PER_PARAGRAPH])
            for i in range(0, len(sentences), SENTENCES_PER_PARAGRAPH)]


def varied(text: str, names: list[tuple[int, int, str, str]], pools: dict[str, list[str]], rng: random.Random) -> str:
    """The text with its names swapped for others of their label, then its paragraphs after the first shuffled."""
    chosen: dict[tuple[str, str], str] = {}
    out, at = [], 0
    for start, end, label, name in names:
        if start < at:
            continue
        other = chosen.setdefault((label, name), rng.choice(pools[label]))
        out += [text[at:start], other]
        at = end
    out.append(text[at:])
    parts = paragraphs("".join(out))
    rest = parts[1:]
    rng.shuffle(rest)
    return "\n\n".join(parts[:1] + rest) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="the folder to write the corpus into (new or empty)")
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--eval", default=str(DEFAULT_EVAL), help="the shared evaluation folder")
    args = ap.parse_args(argv)
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        ap.error(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    texts = sources(Path(args.eval))
    found = entities(texts)
    pools: dict[str, list[str]] = {label: [] for label in SWAPPED}
    for names in found:
        for _, _, label, name in names:
            pools[label].append(name)  # as often as the news names them: frequent names stay frequent
    rng = random.Random(args.seed)
    words = 0
    width = len(str(args.documents - 1))
    for i in range(args.documents):
        k = rng.randrange(len(texts))
        text = varied(texts[k], found[k], pools, rng)
        if rng.random() < TWO_TEXTS:
            j = rng.randrange(len(texts))
            text += "\n" + varied(texts[j], found[j], pools, rng)
        (out / f"doc-{i:0{width}d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    print(f"{args.documents:,} documents, {words:,} words, from {len(texts)} news texts "
          f"({', '.join(f'{len(set(v)):,} {k}' for k, v in pools.items())} names) in {out}, "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
