import sys

from crawler.demo import main

sys.exit(main())
