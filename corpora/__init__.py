"""The project's own corpora; the demo data installs with the package as ``textmine.corpora``."""
