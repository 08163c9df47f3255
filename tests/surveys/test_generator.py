"""The generator's survey round: a sample of a population with a known rate, stored as a round."""

from __future__ import annotations

import random

from clms.places.models import Level, Scheme
from clms.surveys import generator, selectors
from tests.base import PersonaTestCase
from tests.factories import AdminUnitFactory


class GeneratorTestCase(PersonaTestCase):
    def test_it_stores_a_sample_whose_estimate_is_near_the_known_rate(self) -> None:
        population = generator.population(seed=3, strata=2, villages=(3, 3), households=(30, 30), mean_rate=0.2)
        villages = {v.key: AdminUnitFactory.create(name=f"Thôn {v.key}", parent=self.commune_a, scheme=Scheme.LOCAL,
                                                   level=Level.VILLAGE, code="") for v in population}
        sample = generator.draw(population, random.Random(4), psus_per_stratum=2, households_per_psu=10)
        survey = generator.round_write(unit=self.commune_a, year=2026, villages_by_key=villages, population_=population,
                                       sample=sample, user=self.officer_a)
        self.assertAlmostEqual(survey.true_rate or 0, generator.true_rate(population))
        estimates = selectors.round_estimates(survey)
        self.assertEqual(estimates["households"]["selected"], 40)
        rate = estimates["estimates"]["vn-law"]["all"]["rate"]
        people, design = generator.persons(sample)
        from clms.surveys.estimation import child_labour_estimates

        # The stored round and the in-memory sample give the same estimate.
        self.assertAlmostEqual(rate["value"], child_labour_estimates(people, design)["all"]["rate"]["value"])
        self.assertEqual(rate["psus"], 4)
        generator.flush(self.officer_a)
        self.assertFalse(selectors.rounds_for_user(self.officer_a).exists())
