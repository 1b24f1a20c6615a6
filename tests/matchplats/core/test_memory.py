import gc

from matchplats.core.memory import freeze_long_lived_objects


def test_freezing_moves_the_loaded_objects_out_of_garbage_collection():
    try:
        gc.unfreeze()
        before = gc.get_freeze_count()
        freeze_long_lived_objects()
        assert before == 0 and gc.get_freeze_count() > 1000
        # Right after the freeze the generations are (nearly) empty; threads left by earlier tests
        # may allocate a few objects in between, so not exactly zero.
        assert sum(gc.get_count()) < 100
    finally:
        gc.unfreeze()
