"""``python -m neuroframes_edu`` runs the course command line (see :mod:`neuroframes_edu.course.cli`)."""

import sys

from neuroframes_edu.course.cli import main

sys.exit(main())
