"""jobpicks: job feeds in, a daily page of scored picks out, published as a searchable site.

The pipeline reads as the module list: sources -> scoring -> selection -> pages -> site -> publish.
"""

__version__ = "0.1.0"
