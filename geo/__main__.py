"""``python -m geo``: the command line (geo.cli)."""

import sys

from geo.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
