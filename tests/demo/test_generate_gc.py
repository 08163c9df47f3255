"""The generator's run turns the cyclic garbage collector off and gives it back as it was."""

from __future__ import annotations

import gc
import os
from collections import Counter
from unittest import mock

from django.test import SimpleTestCase

from clms.demo.generator.pipeline import Writer


class WriterGivesTheCollectorBackTestCase(SimpleTestCase):
    def setUp(self) -> None:
        self.addCleanup(gc.enable)
        self.addCleanup(gc.unfreeze)
        patcher = mock.patch.dict(os.environ, {"CLMS_GENERATOR_PIPELINE": "0"})  # no writer thread, no database
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_off_during_the_run_and_back_after(self) -> None:
        gc.enable()
        with Writer(Counter()):
            self.assertFalse(gc.isenabled())
            self.assertGreater(gc.get_freeze_count(), 0)  # what lived before the run is out of the collections
        self.assertTrue(gc.isenabled())
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_back_after_an_error_and_left_off_if_it_was_off(self) -> None:
        gc.enable()
        with self.assertRaises(ValueError), Writer(Counter()):
            raise ValueError("a failed run")
        self.assertTrue(gc.isenabled())
        self.assertEqual(gc.get_freeze_count(), 0)
        gc.disable()
        with Writer(Counter()):
            pass
        self.assertFalse(gc.isenabled())
