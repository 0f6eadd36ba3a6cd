"""Run every benchmark: `python -m bench [--quick] [--only NAME,...]`. See bench/harness.py."""

from bench.harness import main

if __name__ == "__main__":
    main()
