"""The HTML reader before and after trafilatura, side by side: on our own test pages, and on any folder of
saved web pages given on the command line (not committed: real pages are others' work).

    python bench/html_readers.py [FOLDER ...]

For each page: characters of text, seconds, and, where a gold text sits beside the page (``page.txt`` for
``page.html``), word precision / recall / F1 against it. The old reader (the standard library's HTMLParser
with our boilerplate rules) is taken from the commit before it was replaced, by ``git show``.
"""

from __future__ import annotations

import collections
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

OLD_COMMIT = "45c73a1"  # the last commit with geo/text/readers.py's own HTML stripper


def old_reader():
    source = subprocess.run(["git", "show", f"{OLD_COMMIT}:geo/text/readers.py"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    module = types.ModuleType("old_readers")
    sys.modules["old_readers"] = module  # dataclasses look their module up
    exec(compile(source, "old_readers.py", "exec"), module.__dict__)  # noqa: S102 - our own old code
    return module.html_text


def our_pages() -> dict[str, tuple[str, str]]:
    """name -> (page, the text our tests expect of it)."""
    from test_readers import NEWS_PAGE

    return {
        "tests: news page": (NEWS_PAGE, "Hayat went to Istanbul\n\nHayat Boumeddiene flew from Madrid to Istanbul on "
                             "2 January 2015 & stayed two days.\n\nShe then crossed into Syria.\nNo one saw her again."),
        "tests: no article, menu": ("<body><ul><li><a href=1>Home</a></li><li><a href=2>Sports in Lyon</a></li></ul>"
                                    "<div><p>Ali flew from <a href=/p>Paris</a> to Istanbul in 2015.</p></div></body>",
                                    "Ali flew from Paris to Istanbul in 2015."),
        "tests: malformed": ("<p>Unclosed <b>bold in Rome<p>Next</i> paragraph</div>",
                             "Unclosed bold in Rome\n\nNext paragraph"),
        "tests: nested 5,000 deep": ("<div><p><b>" * 5000 + "Ali flew to Paris." + "</b></p></div>" * 5000,
                                     "Ali flew to Paris."),
    }


def words(text: str) -> collections.Counter:
    return collections.Counter(text.split())


def score(text: str, gold: str) -> str:
    got, want = words(text), words(gold)
    common = sum((got & want).values())
    p, r = common / max(sum(got.values()), 1), common / max(sum(want.values()), 1)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{p:.2f} / {r:.2f} / {f:.2f}" + (" exact" if text == gold else "")


def main() -> int:
    from geo.text.markup import html_text

    readers = {"old": old_reader(), "trafilatura": html_text}
    html_text("<p>warm up: trafilatura's import is not the page's time</p>")
    pages = our_pages()
    for folder in sys.argv[1:]:
        for path in sorted(Path(folder).glob("*.htm*")):
            gold = path.with_suffix(".txt")
            pages[path.name] = (path.read_text(encoding="utf-8", errors="replace"),
                                gold.read_text(encoding="utf-8") if gold.exists() else None)
    print("| page | reader | chars | s | P / R / F1 (words) |\n|---|---|---:|---:|---|")
    for name, (page, gold) in pages.items():
        for label, read in readers.items():
            started = time.perf_counter()
            text = read(page)
            seconds = time.perf_counter() - started
            print(f"| {name} | {label} | {len(text):,} | {seconds:.3f} | {score(text, gold) if gold else '-'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
