"""``python -m benchmarks [--quick] [--json PATH] [--markdown PATH]``: see docs/benchmarks.md."""

import sys

from .runner import main

sys.exit(main())
