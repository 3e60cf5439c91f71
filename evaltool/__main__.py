"""Allow ``python -m evaltool``."""

from __future__ import annotations

from evaltool.cli import main

if __name__ == "__main__":
    main()
