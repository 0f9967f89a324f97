"""Entry point for ``python -m jobmatch``."""

import sys

from jobmatch.cli import main

if __name__ == "__main__":
    sys.exit(main())
