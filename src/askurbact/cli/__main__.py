"""`python -m askurbact.cli`: the same as the `askurbact` command."""

import sys

from . import main

if __name__ == "__main__":  # importing this module (as pkgutil.walk_packages does) runs nothing
    sys.exit(main())
