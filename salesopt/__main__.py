import sys

from salesopt.cli import main

sys.exit(main())
