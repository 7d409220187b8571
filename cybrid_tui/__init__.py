"""cybrid-tui: a keyboard-driven terminal app for banks on the Cybrid platform."""

__version__ = "0.1.0"
