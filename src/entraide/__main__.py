import sys

from entraide.cli import main

sys.exit(main())
