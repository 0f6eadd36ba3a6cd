import sys

from spbe.cli import main

sys.exit(main())
