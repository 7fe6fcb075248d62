"""Private helpers shared by the science modules: atomic writes and configuration round trips."""
