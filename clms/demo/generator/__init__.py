"""Reproducible synthetic data at commune, district, province and nation scale.

    from clms.demo.generator import generate
    result = generate(scale="district", seed=2021)      # Triệu Sơn, ~5,000 children

Used by ``manage.py generate``, the demo (district scale) and the benchmarks in ``bench/``.
"""

from clms.demo.generator.base import (
    GENERATOR_USERNAME,
    GeneratorRefused,
    Result,
    flush,
    generator_user,
)
from clms.demo.generator.build import generate
from clms.demo.generator.fingerprint import fingerprint
from clms.demo.generator.units import SCALES

__all__ = [
    "GENERATOR_USERNAME",
    "SCALES",
    "GeneratorRefused",
    "Result",
    "fingerprint",
    "flush",
    "generate",
    "generator_user",
]
