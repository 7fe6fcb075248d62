"""``python -m neuroframes_edu`` runs the command line (see :mod:`neuroframes_edu.cli`)."""

import sys

from neuroframes_edu.cli import main

sys.exit(main())
