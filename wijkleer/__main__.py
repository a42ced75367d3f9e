import sys

from wijkleer.cli import main

sys.exit(main())
