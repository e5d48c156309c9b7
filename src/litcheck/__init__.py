"""litcheck: make the scientific literature checkable."""

__version__ = "0.1.0"
